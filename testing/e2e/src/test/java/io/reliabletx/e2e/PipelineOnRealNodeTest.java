package io.reliabletx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reliabletx.testing.k8s.LocalControlPlane;
import io.reliabletx.testing.testbed.ConsistencyCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The product as a user runs it, in real pods on the local cluster's real node: {@code helm install} (the operator
 * runs from its image under the chart's ServiceAccount), {@code kubectl apply} of a pipeline with the user's own
 * credentials Secret whose every password is hostile (and none of which then shows on any command line of the node),
 * every pod Ready through its own probes, the broker running our rendered broker.conf, orders placed through the order service's Service
 * while the broker pod is deleted, a broker.conf change rolled, and the pipeline deleted with its pods and claims.
 */
@Tag(LocalControlPlane.TAG)
@Tag("real-node")
class PipelineOnRealNodeTest {
  private static final String SYSTEM = "rtx-e2e-system";
  private static final String APPS = "rtx-e2e";
  private static final String RELEASE = "rtx-e2e";
  private static final String PIPELINE = "shop";
  @RegisterExtension
  static final OperatorRelease OPERATOR = new OperatorRelease(SYSTEM, APPS, RELEASE, PIPELINE);

  private LocalControlPlane plane;
  private KubernetesClient client;
  private RealNodePipeline pipeline;

  @Test
  void aPipelineRunsInRealPodsAndKeepsEveryOrderConsistent() throws Exception {
    plane = OPERATOR.plane();
    pipeline = OPERATOR.pipeline();
    client = pipeline.client();

    Pod operatorPod = client.pods().inNamespace(SYSTEM).withLabel("app.kubernetes.io/instance", RELEASE).list()
        .getItems().get(0);
    assertThat(operatorPod.getSpec().getNodeName()).as("the operator runs in a real pod").isEqualTo(LocalControlPlane.REAL_NODE);

    // The user brings the credentials (mysql.existingSecret, as a Vault-synced Secret would): every password hostile.
    client.secrets().inNamespace(APPS).resource(new SecretBuilder().withNewMetadata().withName(USER_SECRET).endMetadata()
        .withStringData(HOSTILE_SECRET).build()).create();
    pipeline.useCredentialsSecret(USER_SECRET);
    long applied = System.nanoTime();
    pipeline.apply(pipelineYaml(5000));
    plane.kubectl("wait", "--for=condition=Ready", "rtp/" + PIPELINE, "-n", APPS, "--timeout=600s");
    double toReady = (System.nanoTime() - applied) / 1e9;
    System.out.printf("[e2e] apply -> Ready with real pods in %.1f s%n", toReady);

    List<Pod> pods = client.pods().inNamespace(APPS).withLabel("app.kubernetes.io/instance", PIPELINE).list().getItems();
    assertThat(pods).isNotEmpty();
    for (Pod pod : pods) {
      assertThat(pod.getSpec().getNodeName()).as(pod.getMetadata().getName()).isEqualTo(LocalControlPlane.REAL_NODE);
      if (pod.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getKind().equals("Job"))) {
        assertThat(pod.getStatus().getPhase()).as(pod.getMetadata().getName()).isEqualTo("Succeeded");
      } else {
        assertThat(RealNodePipeline.ready(pod)).as(pod.getMetadata().getName() + " Ready").isTrue();
      }
    }
    assertThat(pipeline.brokerConfig(0)).as("the broker runs our rendered broker.conf")
        .containsEntry("transactionCheckInterval", "5000")
        .containsEntry("brokerClusterName", "DefaultCluster")
        .containsEntry("autoCreateTopicEnable", "false");
    // The ACL (on by default) in the real pods: the broker refuses a client that does not sign in; the topics Job
    // created each service's user, which the services then used for every order below.
    // (the same command signed in printed the broker's config just above; unsigned, the broker answers nothing)
    assertThat(pipeline.mqadmin(0, false, "getBrokerConfig", "-b", "127.0.0.1:10911").output())
        .as("mqadmin without a user").contains("127.0.0.1:10911").doesNotContain("brokerClusterName");
    assertNoSecretOnAnyCommandLine(Duration.ofSeconds(25));
    String jobPod = pods.stream().map(p -> p.getMetadata().getName()).filter(n -> n.contains("-topics-")).findFirst()
        .orElseThrow();
    assertThat(plane.kubectl("logs", "-n", APPS, jobPod)).contains("user orders created on", "user stock created on");

    OrderClient orders = new OrderClient(pipeline.orderServiceAddress());
    // The first half of the load, then the broker pod deleted while the second half flows.
    OrderClient.Load load = orders.startLoad(240, 8);
    await().atMost(Duration.ofMinutes(3)).until(() -> load.accepted() >= 80);
    String brokerPod = PIPELINE + "-broker-0";
    String oldUid = client.pods().inNamespace(APPS).withName(brokerPod).get().getMetadata().getUid();
    client.pods().inNamespace(APPS).withName(brokerPod).delete();
    long deleted = System.nanoTime();
    await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      Pod p = client.pods().inNamespace(APPS).withName(brokerPod).get();
      return p != null && !p.getMetadata().getUid().equals(oldUid) && RealNodePipeline.ready(p);
    });
    System.out.printf("[e2e] broker pod deleted under load: back and Ready in %.1f s (same claim)%n",
        (System.nanoTime() - deleted) / 1e9);
    OrderClient.Result placed = load.await(Duration.ofMinutes(10));
    System.out.println("[e2e] " + placed);
    assertThat(placed.accepted()).as("orders accepted (201/202)").isGreaterThanOrEqualTo(200);

    await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(2))
        .until(() -> orders.unresolved(placed.orderNos()) == 0);
    ConsistencyCheck.Report report = pipeline.consistency();
    System.out.println("[e2e] " + report.summaryLine(1, placed.retries(), 0, 0));
    assertThat(report.problems()).isEmpty();
    assertThat(report.holds()).isTrue();
    assertThat(report.orders()).as("every order answered 201 exists").isGreaterThanOrEqualTo(placed.orderNos().values().stream().filter(s -> s == 201).count());
    assertThat(report.cancelled()).as("orders for more than the stock are cancelled").isPositive();
    assertThat(report.confirmed()).isPositive();

    // A broker.conf change in the CR rolls the broker, which then reports the new value.
    String before = client.pods().inNamespace(APPS).withName(brokerPod).get().getMetadata().getUid();
    pipeline.apply(pipelineYaml(7000));
    await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      Pod p = client.pods().inNamespace(APPS).withName(brokerPod).get();
      return p != null && !p.getMetadata().getUid().equals(before) && RealNodePipeline.ready(p);
    });
    plane.kubectl("wait", "--for=condition=Ready", "rtp/" + PIPELINE, "-n", APPS, "--timeout=300s");
    assertThat(pipeline.brokerConfig(0)).containsEntry("transactionCheckInterval", "7000");

    System.out.println("[e2e] memory (working set, kubelet summary): " + memoryInUse());
    // Two broker stops so far (the deletion and the roll): each must have been a clean one, preStop hook included.
    assertThat(plane.kubectl("get", "events", "-n", APPS, "--field-selector", "reason=FailedPreStopHook", "-o", "name"))
        .as("failed preStop hooks").isBlank();

    plane.kubectl("delete", "rtp", PIPELINE, "-n", APPS, "--wait=true", "--timeout=180s");
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      assertThat(client.pods().inNamespace(APPS).list().getItems()).isEmpty();
      assertThat(client.persistentVolumeClaims().inNamespace(APPS).list().getItems()).isEmpty();
    });
  }

  private static final String USER_SECRET = "shop-user-credentials";

  /**
   * The keys the README asks of mysql.existingSecret, each password something a generator or a person might produce
   * that is syntax somewhere: quotes, line breaks that would add a broker.conf key or a SQL statement, backslashes,
   * shell substitution, unicode, 1 KiB.
   */
  static final Map<String, String> HOSTILE_SECRET = Map.ofEntries(
      Map.entry("root-password", "root'pw\n\"#;\\x"),
      Map.entry("orders-username", "orders"),
      Map.entry("orders-password", "o'; DROP USER root@localhost; --\n\"\nx"),
      Map.entry("stock-username", "stock"),
      Map.entry("stock-password", "$(touch /tmp/pwned-e2e)`id` p\u00e4ss \u2603"),
      Map.entry("console-password", "console\nroot=owned"),
      Map.entry("rocketmq-admin-username", "rocketmq-admin"),
      Map.entry("rocketmq-admin-password", "pw\nauthenticationEnabled = false\n\"}"),
      Map.entry("rocketmq-orders-username", "orders"),
      Map.entry("rocketmq-orders-password", "back\\slash\\u0041 " + "k".repeat(1000)),
      Map.entry("rocketmq-stock-username", "stock"),
      Map.entry("rocketmq-stock-password", "  =: #!lead and trail  \u65e5\u672c"));

  /**
   * No password of the Secret appears in the command line of any process on the node (this machine: every pod's
   * processes are the host's), sampled over {@code period} so that the probes (every 10 s) and short-lived
   * processes are seen too.
   */
  private static void assertNoSecretOnAnyCommandLine(Duration period) throws Exception {
    long end = System.nanoTime() + period.toNanos();
    int seen = 0;
    do {
      try (var procs = Files.list(Path.of("/proc"))) {
        for (Path proc : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
          String cmdline;
          try {
            cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
          } catch (java.io.IOException gone) {
            continue;
          }
          seen++;
          for (var e : HOSTILE_SECRET.entrySet()) {
            if (e.getKey().endsWith("-password")) {
              assertThat(cmdline).as("command line of pid %s holds %s", proc.getFileName(), e.getKey())
                  .doesNotContain(e.getValue());
            }
          }
        }
      }
      Thread.sleep(200);
    } while (System.nanoTime() - end < 0);
    System.out.println("[e2e] no password of the Secret in " + seen + " command lines read over " + period.toSeconds() + " s");
  }

  /**
   * examples/local.yaml under this test's name, with a given check-back interval (a broker.conf key) and the user's
   * hostile credentials Secret.
   */
  @SuppressWarnings("unchecked")
  private String pipelineYaml(long checkIntervalMillis) throws Exception {
    return pipeline.manifest(spec -> {
      ((Map<String, Object>) spec.get("transaction")).put("checkIntervalMillis", checkIntervalMillis);
      ((Map<String, Object>) spec.get("mysql")).put("existingSecret", USER_SECRET);
    });
  }

  /** The pipeline's and the operator's pods, and the whole node (this machine: the node is the host). */
  private String memoryInUse() throws Exception {
    String summary = plane.kubectl("get", "--raw", "/api/v1/nodes/" + LocalControlPlane.REAL_NODE + "/proxy/stats/summary");
    var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(summary);
    long pipeline = 0, operator = 0;
    for (var pod : root.path("pods")) {
      long bytes = pod.path("memory").path("workingSetBytes").asLong();
      String namespace = pod.path("podRef").path("namespace").asText();
      if (namespace.equals(APPS)) {
        pipeline += bytes;
      } else if (namespace.equals(SYSTEM)) {
        operator += bytes;
      }
    }
    return "pipeline pods " + (pipeline >> 20) + " MiB, operator pod " + (operator >> 20) + " MiB, node (host) "
        + (root.path("node").path("memory").path("workingSetBytes").asLong() >> 20) + " MiB";
  }
}
