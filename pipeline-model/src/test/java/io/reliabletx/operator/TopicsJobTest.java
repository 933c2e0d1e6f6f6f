package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.TopicsJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topics Job: no spec value ever reaches the shell as syntax, and the Job fails unless the topics exist. The
 * script runs in a real sh; {@code mqadmin} is a stand-in that prints what the real one prints (it always exits 0).
 */
class TopicsJobTest {
  @TempDir Path dir;

  static Container container(ReliableTxPipeline p) {
    return TopicsJob.job(p).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void specValuesReachTheJobOnlyAsEnvValues() {
    ReliableTxPipeline plain = Pipelines.defaults("p", "ns");
    ReliableTxPipeline hostile = Pipelines.defaults("p", "ns");
    // Refused by the API server today; the Job must be safe even for a value that got past it.
    hostile.getSpec().getOrder().setTopic("x;touch /tmp/pwned");
    hostile.getSpec().getOrder().setResultTopic("$(id)");
    hostile.getSpec().getBroker().setBrokerClusterName("`id`");
    assertThat(container(hostile).getCommand()).isEqualTo(container(plain).getCommand())
        .containsExactly("sh", "-c", TopicsJob.SCRIPT);
    assertThat(String.join(" ", container(hostile).getCommand())).doesNotContain("pwned", "$(id)", "`id`");
    assertThat(container(hostile).getEnv()).extracting(EnvVar::getValue).contains("x;touch /tmp/pwned", "$(id)", "`id`");
  }

  @Test
  void anyChangeToThePodMakesANewJob() {
    ReliableTxPipeline a = Pipelines.defaults("p", "ns");
    ReliableTxPipeline b = Pipelines.defaults("p", "ns");
    b.getSpec().getNameServer().setReplicas(2);
    assertThat(TopicsJob.name(b)).isNotEqualTo(TopicsJob.name(a));
    assertThat(TopicsJob.name(a)).isEqualTo(TopicsJob.name(Pipelines.defaults("p", "ns")));
  }

  static final String UPDATE_OK = "create topic to 10.0.0.1:10911 success.\nTopicConfig [topicName=t]";
  static final String ROUTE_OK = "{\"brokerDatas\":[{\"brokerName\":\"broker-a\"}],\"queueDatas\":[{\"brokerName\":"
      + "\"broker-a\",\"perm\":6,\"readQueueNums\":8,\"writeQueueNums\":8}]}";
  static final String FAILED = "org.apache.rocketmq.tools.command.SubCommandException: UpdateTopicSubCommand command failed";

  /** Runs the Job's script with the Job's env; mqadmin answers updateTopic and topicRoute as given. */
  Run run(ReliableTxPipeline p, String update, String route) throws Exception {
    Files.writeString(dir.resolve("update.out"), update);
    Files.writeString(dir.resolve("route.out"), route);
    Files.writeString(dir.resolve("mqadmin"), """
        printf '%s\\n' "$*" >> calls.log
        case "$1" in
          updateTopic) cat update.out ;;
          topicRoute) cat route.out ;;
        esac
        exit 0
        """);
    Container c = container(p);
    ProcessBuilder pb = new ProcessBuilder(c.getCommand()).directory(dir.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    c.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
    Process proc = pb.start();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(proc.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Path calls = dir.resolve("calls.log");
    return new Run(proc.exitValue(), out, Files.exists(calls) ? Files.readAllLines(calls) : List.of());
  }

  record Run(int exit, String output, List<String> calls) {}

  @Test
  void succeedsOnlyWhenBothTopicsAreCreatedAndRouted() throws Exception {
    Run ok = run(Pipelines.defaults("p", "ns"), UPDATE_OK, ROUTE_OK);
    assertThat(ok.exit()).as(ok.output()).isZero();
    assertThat(ok.calls()).containsExactly(
        "updateTopic -n p-namesrv-0.p-namesrv.ns.svc:9876 -c DefaultCluster -t reliabletx-orders -a +message.type=TRANSACTION",
        "topicRoute -n p-namesrv-0.p-namesrv.ns.svc:9876 -t reliabletx-orders",
        "updateTopic -n p-namesrv-0.p-namesrv.ns.svc:9876 -c DefaultCluster -t reliabletx-order-results -a +message.type=NORMAL",
        "topicRoute -n p-namesrv-0.p-namesrv.ns.svc:9876 -t reliabletx-order-results");
  }

  @Test
  void failsWhenMqadminPrintsAnErrorAndExitsZero() throws Exception {
    Run failedUpdate = run(Pipelines.defaults("p", "ns"), FAILED, ROUTE_OK);
    assertThat(failedUpdate.exit()).isNotZero();
    assertThat(failedUpdate.output()).contains("updateTopic reliabletx-orders did not succeed");
    Run noRoute = run(Pipelines.defaults("p", "ns"), UPDATE_OK,
        "org.apache.rocketmq.tools.command.SubCommandException: TopicRouteSubCommand command failed\n"
            + "No topic route info in name server for the topic: reliabletx-orders");
    assertThat(noRoute.exit()).isNotZero();
    assertThat(noRoute.output()).contains("topic reliabletx-orders has no route");
  }

  @Test
  void hostileValuesArePassedAsOneArgumentAndNeverRun() throws Exception {
    ReliableTxPipeline p = Pipelines.defaults("p", "ns");
    Path marker = dir.resolve("pwned");
    p.getSpec().getOrder().setTopic("x; touch " + marker + " #");
    p.getSpec().getOrder().setResultTopic("$(touch " + marker + ")");
    Run r = run(p, UPDATE_OK, ROUTE_OK);
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(marker).doesNotExist();
    assertThat(r.calls()).anyMatch(c -> c.contains("-t x; touch " + marker + " #"))
        .anyMatch(c -> c.contains("-t $(touch " + marker + ")"));
  }
}
