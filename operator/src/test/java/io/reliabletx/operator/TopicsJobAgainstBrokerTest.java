package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.acl.RocketMqAcl;
import io.reliabletx.operator.pipeline.children.TopicsJob;
import io.reliabletx.operator.pipeline.mysql.Credentials;
import io.reliabletx.testing.rocketmq.EmbeddedRocketMq;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topics Job's script, run by a real sh against a real name server and broker, with {@code mqadmin} being what
 * the broker image's bin/mqadmin runs (RocketMQ's MQAdminStartup): it exits 0 only when the topics exist and, with the
 * ACL on (the default, and this broker's), when each service's user and policies exist on the broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicsJobAgainstBrokerTest {
  EmbeddedRocketMq broker;
  @TempDir Path dir;

  /** The credentials Secret's data: the broker's super user and the services' users. */
  final Map<String, String> secret = Credentials.generate();

  @BeforeAll
  void startBroker() {
    // The broker as a pipeline's pod starts it: the ACL keys of broker.conf and the super user from the Secret.
    Map<String, String> conf = new HashMap<>(RocketMqAcl.brokerEntries());
    conf.putAll(RocketMqAcl.superUserEntries(secret.get(Credentials.ROCKETMQ_ADMIN_USERNAME),
        secret.get(Credentials.ROCKETMQ_ADMIN_PASSWORD)));
    broker = EmbeddedRocketMq.start(EmbeddedRocketMq.Settings.forTests().withBrokerConf(conf));
  }

  @AfterAll
  void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  record Run(int exit, String output) {}

  Run run(ReliableTxPipeline p) throws Exception {
    return run(p, secret);
  }

  /** The Job's container as the kubelet would start it: its env, the Secret's keys resolved from {@code secret}. */
  Run run(ReliableTxPipeline p, Map<String, String> secret) throws Exception {
    Files.writeString(dir.resolve("mqadmin"), "exec '" + Path.of(System.getProperty("java.home"), "bin", "java")
        // JAVA_OPT_EXT appended, as the image's launcher does (the Job points mqadmin's home at its tools.yml so).
        + "' -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 ${JAVA_OPT_EXT:-} -cp '" + System.getProperty("java.class.path")
        + "' org.apache.rocketmq.tools.command.MQAdminStartup \"$@\"\n");
    Container c = TopicsJob.job(p).getSpec().getTemplate().getSpec().getContainers().get(0);
    ProcessBuilder pb = new ProcessBuilder(c.getCommand()).directory(dir.toFile()).redirectErrorStream(true);
    c.getEnv().forEach(e -> pb.environment().put(e.getName(), e.getValueFrom() != null
        ? secret.get(e.getValueFrom().getSecretKeyRef().getKey()) : e.getValue()));
    pb.environment().put("NAMESRV_ADDR", broker.nameServerAddress());
    if (pb.environment().containsKey(TopicsJob.BROKER_ADDRESSES_ENV)) {
      pb.environment().put(TopicsJob.BROKER_ADDRESSES_ENV, broker.brokerAddress());
      pb.environment().put(RocketMqAcl.ADMIN_HOME_ENV, dir.resolve("admin-home").toString());
    }
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
  void createsEachServicesUserWithItsPoliciesAndARerunKeepsThem() throws Exception {
    ReliableTxPipeline p = Pipelines.defaults("p", "ns");
    p.getSpec().getOrder().setTopic("acl-orders");
    p.getSpec().getOrder().setResultTopic("acl-results");
    Run first = run(p);
    assertThat(first.exit()).as(first.output()).isZero();
    String at = " on " + broker.brokerAddress();
    assertThat(first.output()).contains("user orders created" + at, "user stock created" + at,
        "user stock may Pub on Topic:acl-results at " + broker.brokerAddress(),
        "user orders may Sub,Get,Update on Topic:acl-results,Group:" + p.getSpec().getOrder().getResultConsumerGroup());
    assertThat(first.output()).doesNotContain(secret.get(Credentials.ROCKETMQ_ORDERS_PASSWORD),
        secret.get(Credentials.ROCKETMQ_ADMIN_PASSWORD));
    // A rerun (the Job's pod restarted, a new Job after a change) finds the users and sets their passwords again.
    Run again = run(p);
    assertThat(again.exit()).as(again.output()).isZero();
    assertThat(again.output()).contains("user orders updated" + at, "user stock updated" + at);

    // The policies hold: the stock service's user publishes outcomes and cannot publish orders.
    assertThat(send(Credentials.ROCKETMQ_STOCK_USERNAME, Credentials.ROCKETMQ_STOCK_PASSWORD, "acl-results"))
        .isEqualTo(SendStatus.SEND_OK);
    assertThatThrownBy(() -> send(Credentials.ROCKETMQ_STOCK_USERNAME, Credentials.ROCKETMQ_STOCK_PASSWORD,
        "acl-orders")).rootCause().hasMessageContaining("User:stock has no permission to access Topic:acl-orders");
  }

  @Test
  void failsWhenItCannotSignInAsTheSuperUser() throws Exception {
    Map<String, String> wrong = new HashMap<>(secret);
    wrong.put(Credentials.ROCKETMQ_ADMIN_PASSWORD, "not-the-password");
    Run r = run(Pipelines.defaults("p", "ns"), wrong);
    System.out.println("[topics job, wrong super user password] " + r.output().lines().reduce((a, b) -> b).orElse(""));
    assertThat(r.exit()).as(r.output()).isNotZero();
    assertThat(r.output()).contains("did not succeed");
  }

  SendStatus send(String usernameKey, String passwordKey, String topic) throws Exception {
    DefaultMQProducer producer = new DefaultMQProducer("job-test-" + System.nanoTime(),
        new AclClientRPCHook(new SessionCredentials(secret.get(usernameKey), secret.get(passwordKey))));
    producer.setNamesrvAddr(broker.nameServerAddress());
    producer.setInstanceName("job-test@" + System.nanoTime());
    producer.setRetryTimesWhenSendFailed(0);
    producer.start();
    try {
      return producer.send(new Message(topic, "probe".getBytes(StandardCharsets.UTF_8))).getSendStatus();
    } finally {
      producer.shutdown();
    }
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
