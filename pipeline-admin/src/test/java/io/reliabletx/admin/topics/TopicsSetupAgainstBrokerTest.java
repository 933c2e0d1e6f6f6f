package io.reliabletx.admin.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.reliabletx.admin.HostileSecrets;
import io.reliabletx.admin.PipelineAdmin;
import io.reliabletx.operator.Pipelines;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.acl.RocketMqAcl;
import io.reliabletx.operator.pipeline.children.TopicsJob;
import io.reliabletx.operator.pipeline.mysql.Credentials;
import io.reliabletx.testing.rocketmq.EmbeddedRocketMq;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The topics Job's container as the kubelet starts it (its args and env, the Secret's keys resolved), run against a
 * real name server and broker with the ACL on and a user's Secret whose every RocketMQ password is hostile (quotes, a
 * line break, backslashes, shell syntax, unicode, 1 KiB): it exits 0 only when the topics exist and each service's
 * user and policies exist on the broker, and each service then signs in with exactly its Secret's password.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicsSetupAgainstBrokerTest {
  EmbeddedRocketMq broker;

  final Map<String, String> secret = HostileSecrets.rocketMqSecret();

  @BeforeAll
  void startBroker() throws Exception {
    // The broker as a pipeline's pod starts it: the ACL keys of broker.conf and the super user from the Secret, read
    // back from the private broker.conf's own escaping (what the init container writes).
    Map<String, String> conf = new HashMap<>(RocketMqAcl.brokerEntries());
    Properties superUser = new Properties();
    superUser.load(new ByteArrayInputStream(io.reliabletx.admin.PrivateFiles.asProperties(
        RocketMqAcl.superUserEntries(secret.get(Credentials.ROCKETMQ_ADMIN_USERNAME),
            secret.get(Credentials.ROCKETMQ_ADMIN_PASSWORD)))));
    superUser.forEach((k, v) -> conf.put((String) k, (String) v));
    broker = EmbeddedRocketMq.start(EmbeddedRocketMq.Settings.forTests().withBrokerConf(conf));
  }

  @AfterAll
  void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  record Run(int exit, String output) {}

  Run run(ReliableTxPipeline p) {
    return run(p, secret, Map.of());
  }

  /** The Job's container: its args, its env with the Secret's keys from {@code secret}, pointed at this broker. */
  Run run(ReliableTxPipeline p, Map<String, String> secret, Map<String, String> more) {
    Container c = TopicsJob.job(p).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getCommand()).isEmpty();
    Map<String, String> env = new HashMap<>();
    c.getEnv().forEach(e -> env.put(e.getName(), e.getValueFrom() != null
        ? secret.get(e.getValueFrom().getSecretKeyRef().getKey()) : e.getValue()));
    env.put(TopicsJob.NAMESRV_ADDR_ENV, broker.nameServerAddress());
    if (env.containsKey(TopicsJob.BROKER_ADDRESSES_ENV)) {
      env.put(TopicsJob.BROKER_ADDRESSES_ENV, broker.brokerAddress());
    }
    env.putAll(more);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = PipelineAdmin.run(c.getArgs().toArray(String[]::new), env, new PrintStream(out, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void createsBothTopicsAndConfirmsTheirRoutes() {
    ReliableTxPipeline p = Pipelines.defaults("p", "ns");
    p.getSpec().getOrder().setTopic("job-orders");
    p.getSpec().getOrder().setResultTopic("job-results");
    Run r = run(p);
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("topic job-orders exists (TRANSACTION", "topic job-results exists (NORMAL");
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
    for (String key : new String[] {Credentials.ROCKETMQ_ORDERS_PASSWORD, Credentials.ROCKETMQ_STOCK_PASSWORD,
        Credentials.ROCKETMQ_ADMIN_PASSWORD}) {
      assertThat(first.output()).doesNotContain(secret.get(key));
    }
    // A rerun (the Job's pod restarted, a new Job after a change) finds the users and sets their passwords again.
    Run again = run(p);
    assertThat(again.exit()).as(again.output()).isZero();
    assertThat(again.output()).contains("user orders updated" + at, "user stock updated" + at);

    // The policies hold, and each service signs in with exactly its hostile password: the stock service's user
    // publishes outcomes and cannot publish orders; the order service's publishes orders.
    assertThat(send(Credentials.ROCKETMQ_STOCK_USERNAME, secret.get(Credentials.ROCKETMQ_STOCK_PASSWORD), "acl-results"))
        .isEqualTo(SendStatus.SEND_OK);
    assertThat(send(Credentials.ROCKETMQ_ORDERS_USERNAME, secret.get(Credentials.ROCKETMQ_ORDERS_PASSWORD), "acl-orders"))
        .isEqualTo(SendStatus.SEND_OK);
    assertThatThrownBy(() -> send(Credentials.ROCKETMQ_STOCK_USERNAME, secret.get(Credentials.ROCKETMQ_STOCK_PASSWORD),
        "acl-orders")).rootCause().hasMessageContaining("User:stock has no permission to access Topic:acl-orders");
    // A password that differs by its last character does not sign in.
    String almost = secret.get(Credentials.ROCKETMQ_ORDERS_PASSWORD);
    assertThatThrownBy(() -> send(Credentials.ROCKETMQ_ORDERS_USERNAME, almost.substring(0, almost.length() - 1),
        "acl-orders")).isNotNull();
    assertThat(java.nio.file.Path.of("/tmp/pwned-by-secret")).doesNotExist();
  }

  @Test
  void failsAtOnceWhenItCannotSignInAsTheSuperUser() {
    Map<String, String> wrong = new HashMap<>(secret);
    wrong.put(Credentials.ROCKETMQ_ADMIN_PASSWORD, "not-the-password");
    long start = System.nanoTime();
    // The wait is left long: the refusal must end it, not the deadline.
    Run r = run(Pipelines.defaults("p", "ns"), wrong, Map.of(TopicsJob.WAIT_SECONDS_ENV, "40"));
    System.out.println("[topics job, wrong super user password] " + r.output().lines().reduce((a, b) -> b).orElse(""));
    assertThat(r.exit()).as(r.output()).isEqualTo(1);
    assertThat(r.output()).contains("did not succeed: the broker refused it");
    assertThat(System.nanoTime() - start).as("no waiting for what waiting cannot change").isLessThan(30_000_000_000L);
  }

  @Test
  void failsWithTheReasonWhenTheClusterNeverAppears() {
    ReliableTxPipeline p = Pipelines.defaults("p", "ns");
    p.getSpec().getBroker().setBrokerClusterName("NoSuchCluster");
    p.getSpec().getOrder().setTopic("never-made");
    Run r = run(p, secret, Map.of(TopicsJob.WAIT_SECONDS_ENV, "3"));
    System.out.println("[topics job, unknown cluster] " + r.output().lines().reduce((a, b) -> b).orElse(""));
    assertThat(r.exit()).as(r.output()).isEqualTo(1);
    assertThat(r.output()).contains("waiting for a master of cluster NoSuchCluster",
        "a master of cluster NoSuchCluster on the name server " + broker.nameServerAddress() + " did not succeed within 3 s");
  }

  SendStatus send(String usernameKey, String password, String topic) throws Exception {
    DefaultMQProducer producer = new DefaultMQProducer("job-test-" + System.nanoTime(),
        new AclClientRPCHook(new SessionCredentials(secret.get(usernameKey), password)));
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
}
