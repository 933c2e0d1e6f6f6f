package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.TopicsJob;
import io.reliabletx.testing.rocketmq.EmbeddedRocketMq;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topics Job's script, run by a real sh against a real name server and broker, with {@code mqadmin} being what
 * the broker image's bin/mqadmin runs (RocketMQ's MQAdminStartup): it exits 0 only when the topics exist.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicsJobAgainstBrokerTest {
  EmbeddedRocketMq broker;
  @TempDir Path dir;

  @BeforeAll
  void startBroker() {
    broker = EmbeddedRocketMq.start();
  }

  @AfterAll
  void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  record Run(int exit, String output) {}

  Run run(ReliableTxPipeline p) throws Exception {
    Files.writeString(dir.resolve("mqadmin"), "exec '" + Path.of(System.getProperty("java.home"), "bin", "java")
        + "' -Xmx128m -cp '" + System.getProperty("java.class.path")
        + "' org.apache.rocketmq.tools.command.MQAdminStartup \"$@\"\n");
    Container c = TopicsJob.job(p).getSpec().getTemplate().getSpec().getContainers().get(0);
    ProcessBuilder pb = new ProcessBuilder(c.getCommand()).directory(dir.toFile()).redirectErrorStream(true);
    c.getEnv().forEach(e -> pb.environment().put(e.getName(), e.getValue()));
    pb.environment().put("NAMESRV_ADDR", broker.nameServerAddress());
    Process proc = pb.start();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(proc.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(proc.exitValue(), out);
  }

  @Test
  void createsBothTopicsAndConfirmsTheirRoutes() throws Exception {
    ReliableTxPipeline p = Pipelines.defaults("p", "ns");
    p.getSpec().getOrder().setTopic("job-orders");
    p.getSpec().getOrder().setResultTopic("job-results");
    Run r = run(p);
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("topic job-orders exists", "topic job-results exists");
  }

  @Test
  void failsWhenTheTopicsCannotBeCreated() throws Exception {
    ReliableTxPipeline p = Pipelines.defaults("p", "ns");
    p.getSpec().getBroker().setBrokerClusterName("NoSuchCluster");
    p.getSpec().getOrder().setTopic("never-made");
    Run r = run(p);
    System.out.println("[topics job, unknown cluster] " + r.output().lines().reduce((a, b) -> b).orElse(""));
    assertThat(r.exit()).as(r.output()).isNotZero();
    assertThat(r.output()).contains("updateTopic never-made did not succeed");
  }
}
