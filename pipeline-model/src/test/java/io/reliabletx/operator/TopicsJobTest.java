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
    b.getSpec().getOrder().setResultTopic("other-results");
    assertThat(TopicsJob.name(b)).isNotEqualTo(TopicsJob.name(a));
    assertThat(TopicsJob.name(a)).isEqualTo(TopicsJob.name(Pipelines.defaults("p", "ns")));
  }

  static final String UPDATE_OK = "create topic to 10.0.0.1:10911 success.\nTopicConfig [topicName=t]";
  static final String ROUTE_OK = "{\"brokerDatas\":[{\"brokerName\":\"broker-a\"}],\"queueDatas\":[{\"brokerName\":"
      + "\"broker-a\",\"perm\":6,\"readQueueNums\":8,\"writeQueueNums\":8}]}";
  static final String FAILED = "org.apache.rocketmq.tools.command.SubCommandException: UpdateTopicSubCommand command failed";

  /** Runs the Job's script with the Job's env; mqadmin answers updateTopic and topicRoute as given. */
  Run run(ReliableTxPipeline p, String update, String route) throws Exception {
    Files.deleteIfExists(dir.resolve("calls.log"));
    Files.writeString(dir.resolve("update.out"), update);
    Files.writeString(dir.resolve("route.out"), route);
    Files.writeString(dir.resolve("mqadmin"), """
        printf '%s\\n' "$*" >> calls.log
        case "$1" in
          updateTopic) cat update.out ;;
          topicRoute) cat route.out ;;
          createUser|createAcl) echo "create to $3 success." ;;
        esac
        exit 0
        """);
    Container c = container(p);
    ProcessBuilder pb = new ProcessBuilder(c.getCommand()).directory(dir.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    // The Secret's keys as the kubelet resolves them: here "secret:<key>".
    c.getEnv().forEach(e -> env.put(e.getName(),
        e.getValueFrom() != null ? "secret:" + e.getValueFrom().getSecretKeyRef().getKey() : e.getValue()));
    env.put("ROCKETMQ_ADMIN_HOME", dir.resolve("admin-home").toString());
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
    String broker = "p-broker-0.p-broker.ns.svc:10911";
    assertThat(ok.calls()).containsExactly(
        "updateTopic -n p-namesrv.ns.svc:9876 -c DefaultCluster -t reliabletx-orders -a +message.type=TRANSACTION",
        "topicRoute -n p-namesrv.ns.svc:9876 -t reliabletx-orders",
        "updateTopic -n p-namesrv.ns.svc:9876 -c DefaultCluster -t reliabletx-order-results -a +message.type=NORMAL",
        "topicRoute -n p-namesrv.ns.svc:9876 -t reliabletx-order-results",
        // The ACL (on by default): each service's user and its two policies.
        "createUser -b " + broker + " -u secret:rocketmq-orders-username -p secret:rocketmq-orders-password",
        "createAcl -b " + broker + " -s User:secret:rocketmq-orders-username -r Topic:reliabletx-orders -a Pub -d Allow",
        "createAcl -b " + broker + " -s User:secret:rocketmq-orders-username"
            + " -r Topic:reliabletx-order-results,Group:reliabletx-order-result-consumer -a Sub,Get,Update -d Allow",
        "createUser -b " + broker + " -u secret:rocketmq-stock-username -p secret:rocketmq-stock-password",
        "createAcl -b " + broker + " -s User:secret:rocketmq-stock-username -r Topic:reliabletx-order-results -a Pub -d Allow",
        "createAcl -b " + broker + " -s User:secret:rocketmq-stock-username"
            + " -r Topic:reliabletx-orders,Group:reliabletx-stock-consumer -a Sub,Get,Update -d Allow");
    // mqadmin signs in with the super user's tools.yml, written where JAVA_OPT_EXT points it.
    assertThat(dir.resolve("admin-home/conf/tools.yml")).hasContent(
        "accessKey: secret:rocketmq-admin-username\nsecretKey: secret:rocketmq-admin-password");
  }

  @Test
  void everyBrokerOfTheGroupGetsTheUsersAndWithoutTheAclNoneIsMade() throws Exception {
    ReliableTxPipeline group = Pipelines.defaults("p", "ns");
    group.getSpec().getBroker().setReplicas(2);
    Run two = run(group, UPDATE_OK, ROUTE_OK);
    assertThat(two.exit()).as(two.output()).isZero();
    assertThat(two.calls()).filteredOn(c -> c.startsWith("createUser")).extracting(c -> c.split(" ")[2])
        .containsExactly("p-broker-0.p-broker.ns.svc:10911", "p-broker-0.p-broker.ns.svc:10911",
            "p-broker-1.p-broker.ns.svc:10911", "p-broker-1.p-broker.ns.svc:10911");

    ReliableTxPipeline off = Pipelines.defaults("p", "ns");
    off.getSpec().getAcl().setEnabled(false);
    Run r = run(off, UPDATE_OK, ROUTE_OK);
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.calls()).hasSize(4).noneMatch(c -> c.startsWith("create"));
    assertThat(container(off).getEnv()).extracting(EnvVar::getName).doesNotContain("ROCKETMQ_ADMIN_PASSWORD");
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
