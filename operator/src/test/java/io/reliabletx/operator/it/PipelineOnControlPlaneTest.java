package io.reliabletx.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reliabletx.operator.OperatorMain;
import io.reliabletx.operator.Pipelines;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.brokerconf.BrokerConfig;
import io.reliabletx.operator.pipeline.children.PipelineChildren;
import io.reliabletx.operator.pipeline.children.TopicsJob;
import io.reliabletx.operator.pipeline.status.PipelineConditions;
import io.reliabletx.testing.k8s.LocalControlPlane;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** The real Operator against the real local control plane (kwok plays the kubelets). */
@Tag(LocalControlPlane.TAG)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineOnControlPlaneTest {
  static final Duration WAIT = Duration.ofSeconds(180);

  LocalControlPlane plane;
  KubernetesClient client;
  OperatorMain operator;
  String ns;

  @BeforeAll
  void start() throws Exception {
    plane = LocalControlPlane.get();
    client = plane.client();
    plane.installPipelineCrd();
    ns = "rtp-it-" + Long.toString(System.currentTimeMillis(), 36);
    // The "restricted" Pod Security Standard enforced: a child whose pods break it never gets its pods, so the
    // pipeline never becomes Ready (the API server's own check, not ours).
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
        .addToLabels("pod-security.kubernetes.io/enforce", "restricted").endMetadata().build()).create();
    operator = new OperatorMain(plane.client(), Set.of(ns), null);
    operator.serveHttp(0);
    operator.start();
  }

  @AfterAll
  void stop() {
    if (operator != null) {
      operator.stop();
    }
    if (client != null && ns != null) {
      client.namespaces().withName(ns).delete();
    }
  }

  /** Kind/name of every child pipeline-model says {@code p} has. */
  static List<String> children(ReliableTxPipeline p) {
    return PipelineChildren.of(p).values().stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
  }

  HasMetadata get(String ref) {
    String[] kn = ref.split("/");
    return switch (kn[0]) {
      case "StatefulSet" -> client.apps().statefulSets().inNamespace(ns).withName(kn[1]).get();
      case "Deployment" -> client.apps().deployments().inNamespace(ns).withName(kn[1]).get();
      case "Service" -> client.services().inNamespace(ns).withName(kn[1]).get();
      case "ConfigMap" -> client.configMaps().inNamespace(ns).withName(kn[1]).get();
      case "Secret" -> client.secrets().inNamespace(ns).withName(kn[1]).get();
      case "Job" -> client.batch().v1().jobs().inNamespace(ns).withName(kn[1]).get();
      case "NetworkPolicy" -> client.network().v1().networkPolicies().inNamespace(ns).withName(kn[1]).get();
      case "PodDisruptionBudget" -> client.policy().v1().podDisruptionBudget().inNamespace(ns).withName(kn[1]).get();
      default -> throw new IllegalArgumentException(ref);
    };
  }

  List<String> missing(List<String> refs) {
    List<String> out = new ArrayList<>();
    for (String r : refs) {
      if (get(r) == null) {
        out.add(r);
      }
    }
    return out;
  }

  ReliableTxPipeline pipeline(String name) {
    return client.resources(ReliableTxPipeline.class).inNamespace(ns).withName(name).get();
  }

  boolean ready(String name) {
    ReliableTxPipeline p = pipeline(name);
    if (p == null || p.getStatus() == null) {
      return false;
    }
    var c = PipelineConditions.find(p.getStatus().getConditions(), PipelineConditions.READY);
    return c != null && "True".equals(c.getStatus());
  }

  static long seconds(long since) {
    return System.currentTimeMillis() - since;
  }

  @Test
  @Order(1)
  void examplesBecomeReadyWithAllChildrenOwned() throws Exception {
    long appliedAt = System.currentTimeMillis();
    for (String f : List.of("minimal.yaml", "custom.yaml")) {
      plane.kubectl("apply", "-n", ns, "-f", Pipelines.examplesDir().resolve(f).toString());
    }
    Map<String, List<String>> expected = Map.of(
        "minimal", children(Pipelines.example("minimal.yaml", ns)),
        "custom", children(Pipelines.example("custom.yaml", ns)));
    Supplier<List<String>> allMissing = () -> expected.values().stream().flatMap(l -> missing(l).stream()).toList();
    try {
      await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> allMissing.get().isEmpty());
    } catch (RuntimeException e) {
      System.out.println("[diag] still missing: " + allMissing.get());
      System.out.println("[diag] " + plane.kubectl("get", "rtp,sts,deploy,job,pod", "-n", ns, "-o", "wide"));
      throw e;
    }
    long created = seconds(appliedAt);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> ready("minimal") && ready("custom"));
    long ready = seconds(appliedAt);
    System.out.printf("[measure] apply -> all %d children created: %d ms; -> Ready=True on both: %d ms%n",
        expected.values().stream().mapToInt(List::size).sum(), created, ready);
    Files.writeString(Path.of("target/k8s-timings.txt"),
        "children_created_ms=" + created + "\nready_ms=" + ready + "\n");

    for (var e : expected.entrySet()) {
      ReliableTxPipeline p = pipeline(e.getKey());
      for (String ref : e.getValue()) {
        HasMetadata child = get(ref);
        if (ref.startsWith("Secret/")) {
          // Kept with MySQL's retained data: no owner reference, mapped back by JOSDK's primary annotations.
          assertThat(child.getMetadata().getOwnerReferences()).as(ref).isEmpty();
          assertThat(child.getMetadata().getAnnotations()).as(ref)
              .containsEntry("io.javaoperatorsdk/primary-name", e.getKey());
          continue;
        }
        assertThat(child.getMetadata().getOwnerReferences()).as(ref)
            .anyMatch(o -> o.getUid().equals(p.getMetadata().getUid()) && "ReliableTxPipeline".equals(o.getKind())
                && Boolean.TRUE.equals(o.getController()) && Boolean.TRUE.equals(o.getBlockOwnerDeletion()));
      }
      assertThat(p.getStatus().getObservedGeneration()).isEqualTo(p.getMetadata().getGeneration());
      assertThat(p.getStatus().getPhase().name()).isEqualTo("Ready");
      assertThat(p.getStatus().getConditions()).extracting(c -> c.getType()).contains("Ready", "NameServer", "Broker",
          "Topics", "Console", "MySQL", "OrderService", "StockService");
    }
    // No update loop: after a few more reconciles (the periodic one included) the children still have generation 1.
    Thread.sleep(3000);
    for (var e : expected.entrySet()) {
      for (String ref : e.getValue()) {
        HasMetadata child = get(ref);
        if (child instanceof StatefulSet || child instanceof Deployment || child instanceof NetworkPolicy) {
          assertThat(child.getMetadata().getGeneration()).as("generation of " + ref).isEqualTo(1L);
        }
      }
    }
    // kubectl wait works on the Ready condition
    assertThat(plane.kubectl("wait", "-n", ns, "--for=condition=Ready", "rtp/minimal", "--timeout=10s")).contains("condition met");
    String table = plane.kubectl("get", "rtp", "-n", ns);
    System.out.println("[kubectl get rtp]\n" + table);
    assertThat(table).contains("READY").contains("PHASE").contains("NAMESERVER").contains("True").contains("Ready");
  }

  @Test
  @Order(2)
  void brokerConfAndEnvAreWiredAsSpecified() {
    ReliableTxPipeline custom = Pipelines.example("custom.yaml", ns);
    ConfigMap cm = client.configMaps().inNamespace(ns).withName("custom-broker-config").get();
    String conf = cm.getData().get("broker.conf");
    assertThat(conf).isEqualTo(BrokerConfig.of(pipeline("custom").getSpec(), new PipelineNames(custom)).render())
        .contains("brokerRole = SYNC_MASTER").contains("transactionOpBatchInterval = 100")
        .contains("autoCreateTopicEnable = false");
    Deployment order = client.apps().deployments().inNamespace(ns).withName("custom-order").get();
    Map<String, EnvVar> env = order.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(env.get("RELIABLETX_TOPIC").getValue()).isEqualTo("shop-orders");
    assertThat(env.get("RELIABLETX_PRODUCER_GROUP").getValue()).isEqualTo("shop-order-producer");
    assertThat(env.get("SPRING_DATASOURCE_URL").getValue()).isEqualTo("jdbc:mysql://custom-mysql." + ns + ".svc:3306/tx-msg-orders");
    assertThat(env.get("SPRING_DATASOURCE_PASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("custom-credentials");
    assertThat(order.getSpec().getReplicas()).isEqualTo(2);
    Job job = client.batch().v1().jobs().inNamespace(ns).withName(TopicsJob.name(custom)).get();
    var topics = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(topics.getArgs()).containsExactly(TopicsJob.COMMAND);
    assertThat(topics.getEnv().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue)))
        .containsEntry("TRANSACTION_TOPIC", "shop-orders").containsEntry("RESULT_TOPIC", "shop-order-results")
        .containsEntry("BROKER_CLUSTER", "DefaultCluster");
    // The ACL's users reach the Job and the services only as references to the credentials Secret.
    assertThat(topics.getEnv()).filteredOn(e -> e.getName().startsWith("ORDERS_ACL_PASSWORD")).singleElement()
        .extracting(e -> e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("rocketmq-orders-password");
    assertThat(env.get("ROCKETMQ_SECRET_KEY").getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("rocketmq-orders-password");
  }

  /** custom.yaml runs a master and a slave: each pod's role derived in its own broker.conf, kept apart, one down at a time. */
  @Test
  @Order(2)
  void aBrokerGroupHasAMasterAndASlaveKeptApart() {
    ConfigMap cm = client.configMaps().inNamespace(ns).withName("custom-broker-config").get();
    assertThat(cm.getData()).containsOnlyKeys("broker.conf", "broker-1.conf");
    assertThat(cm.getData().get("broker.conf")).contains("brokerId = 0").contains("brokerRole = SYNC_MASTER")
        .contains("inSyncReplicas = 2").contains("brokerIP1 = custom-broker-0.custom-broker." + ns + ".svc");
    assertThat(cm.getData().get("broker-1.conf")).contains("brokerId = 1").contains("brokerRole = SLAVE")
        .contains("brokerIP1 = custom-broker-1.custom-broker." + ns + ".svc").doesNotContain("inSyncReplicas");
    StatefulSet broker = client.apps().statefulSets().inNamespace(ns).withName("custom-broker").get();
    assertThat(broker.getSpec().getReplicas()).isEqualTo(2);
    assertThat(broker.getStatus().getReadyReplicas()).isEqualTo(2);
    var apart = broker.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
        .getPreferredDuringSchedulingIgnoredDuringExecution();
    assertThat(apart).singleElement().satisfies(t -> {
      assertThat(t.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
      assertThat(t.getPodAffinityTerm().getLabelSelector().getMatchLabels())
          .isEqualTo(broker.getSpec().getSelector().getMatchLabels());
    });
    var budget = client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("custom-broker").get();
    assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(broker.getSpec().getSelector().getMatchLabels());
    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertThat(client.policy().v1()
        .podDisruptionBudget().inNamespace(ns).withName("custom-broker").get().getStatus().getDisruptionsAllowed())
        .as("one of the two broker pods may be evicted").isEqualTo(1));
  }

  /** Lowering the replicas is refused by the API server (a transition rule), saying why; raising them is not. */
  @Test
  @Order(2)
  void aBrokerGroupIsNeverScaledDown() {
    LocalControlPlane.Result r = plane.tryKubectl("patch", "rtp", "custom", "-n", ns, "--type=merge", "-p",
        "{\"spec\":{\"broker\":{\"replicas\":1}}}");
    System.out.println("[refused] " + r.output().strip());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.output()).contains("broker.replicas cannot be lowered on a live pipeline");
    assertThat(pipeline("custom").getSpec().getBroker().getReplicas()).isEqualTo(2);
  }

  @Test
  @Order(3)
  void noPasswordInStatusOrEvents() {
    Secret secret = client.secrets().inNamespace(ns).withName("minimal-credentials").get();
    String status = plane.kubectl("get", "rtp", "-n", ns, "-o", "yaml");
    String events = plane.kubectl("get", "events", "-n", ns, "-o", "yaml");
    assertThat(events).contains("ReliableTxPipeline");
    for (String v : secret.getData().values()) {
      String plain = new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
      if (plain.length() >= 16) {
        assertThat(status).doesNotContain(plain);
        assertThat(events).doesNotContain(plain);
      }
    }
  }

  @Test
  @Order(4)
  void badPipelinesAreRefusedWithTheirReason() throws Exception {
    Map<String, String> bad = Map.of(
        "brokerRole: MASTER", "Unsupported value: \"MASTER\"",
        "diskMaxUsedSpaceRatio: 200", "should be less than or equal to 95",
        "extraConfig: {autoCreateTopicEnable: \"true\"}", "autoCreateTopicEnable may only be 'false'",
        "extraConfig: {brokerName: other}", "extraConfig may not set a key the operator owns",
        "extraConfig: {authenticationEnabled: \"false\"}", "extraConfig may not set RocketMQ's access control",
        "extraConfig: {initAuthenticationUser: \"{}\"}", "use spec.acl",
        "deleteWhen: \"25\"", "deleteWhen");
    int i = 0;
    for (var e : bad.entrySet()) {
      String yaml = "apiVersion: reliabletx.io/v1alpha1\nkind: ReliableTxPipeline\nmetadata:\n  name: bad-" + (i++)
          + "\nspec:\n  broker:\n    " + e.getKey() + "\n";
      assertRefused(yaml, e.getValue());
    }
    assertRefused("apiVersion: reliabletx.io/v1alpha1\nkind: ReliableTxPipeline\nmetadata:\n  name: bad-tx\n"
        + "spec:\n  transaction:\n    timeoutMillis: 1000\n    opBatchIntervalMillis: 1000\n",
        "opBatchIntervalMillis must be below transaction.timeoutMillis");
    assertRefused("apiVersion: reliabletx.io/v1alpha1\nkind: ReliableTxPipeline\nmetadata:\n  name: bad-tx-deadline\n"
        + "spec:\n  transaction:\n    checkIntervalMillis: 100\n    timeoutMillis: 100\n    checkMax: 11\n"
        + "    opBatchIntervalMillis: 50\n",
        "timeoutMillis + (checkMax - 3) * checkIntervalMillis at least 1000");
    // Only the deciding check-back and one more: no margin for a lost answer.
    assertRefused("apiVersion: reliabletx.io/v1alpha1\nkind: ReliableTxPipeline\nmetadata:\n  name: bad-tx-margin\n"
        + "spec:\n  transaction:\n    checkMax: 3\n", "transaction.checkMax must leave two check-backs after the one");
  }

  /** What a hostile or careless author might write, each refused by the API server with the reason. */
  @Test
  @Order(4)
  void pipelinesTheOperatorCannotBuildAreRefused() throws Exception {
    String name45 = "a".repeat(45);
    Map<String, String> badByName = new java.util.LinkedHashMap<>();
    badByName.put(name45, "metadata.name must be at most 44 characters");
    badByName.put("a.b", "metadata.name must be a DNS-1035 label");
    badByName.put("1abc", "metadata.name must be a DNS-1035 label");
    for (var e : badByName.entrySet()) {
      assertRefused("apiVersion: reliabletx.io/v1alpha1\nkind: ReliableTxPipeline\nmetadata:\n  name: " + e.getKey()
          + "\nspec: {}\n", e.getValue());
    }
    // The longest name accepted builds: all children exist and the limit was not a guess.
    Map<String, String> badSpec = new java.util.LinkedHashMap<>();
    badSpec.put("order: {topic: \"a|id\"}", "spec.order.topic");
    badSpec.put("order: {topic: \"a;touch /tmp/x\"}", "spec.order.topic");
    badSpec.put("order: {resultTopic: \"$(id)\"}", "spec.order.resultTopic");
    badSpec.put("order: {producerGroup: \"g`id`\"}", "spec.order.producerGroup");
    badSpec.put("stock: {consumerGroup: \"x y\"}", "spec.stock.consumerGroup");
    badSpec.put("order: {topic: \"" + "t".repeat(128) + "\"}", "spec.order.topic");
    badSpec.put("order: {topic: RMQ_SYS_TRANS_HALF_TOPIC}", "is a RocketMQ system topic");
    badSpec.put("order: {topic: TBW102}", "is a RocketMQ system topic");
    badSpec.put("order: {topic: DefaultCluster}", "the broker keeps system topics of those names");
    badSpec.put("order: {resultTopic: broker-a}", "the broker keeps system topics of those names");
    badSpec.put("stock: {consumerGroup: DEFAULT_CONSUMER}", "is a RocketMQ system group");
    badSpec.put("order: {producerGroup: same}\n  stock: {consumerGroup: same}", "must be four different groups");
    badSpec.put("order: {resultConsumerGroup: same}\n  stock: {consumerGroup: same}", "must be four different groups");
    badSpec.put("order: {producerGroup: same, resultConsumerGroup: same}", "must be four different groups");
    badSpec.put("order: {producerGroup: reliabletx-stock-result-producer}", "must be four different groups");
    badSpec.put("order: {topic: CHECKPOINT_TOPIC}", "is a RocketMQ system topic");
    badSpec.put("order: {resultTopic: DefaultCluster_REPLY_TOPIC}", "is a RocketMQ system topic");
    badSpec.put("stock: {resultProducerGroup: SCHEDULE_CONSUMER}", "stock.resultProducerGroup is a RocketMQ system group");
    badSpec.put("broker: {extraConfig: {sendMessageThreadPoolNums: \"8\\nautoCreateTopicEnable = true\"}}",
        "extraConfig values may not contain a line break");
    badSpec.put("broker: {extraConfig: {sendMessageThreadPoolNums: \"8\\rbrokerName = x\"}}",
        "extraConfig values may not contain a line break");
    badSpec.put("broker: {extraConfig: {sendMessageThreadPoolNums: \"8\\\\\"}}", "or a backslash");
    badSpec.put("broker: {extraConfig: {\"a=b\": \"1\"}}", "extraConfig keys must be broker.conf property names");
    badSpec.put("broker: {extraConfig: {\"autoCreateTopicEnable \": \"true\"}}", "extraConfig keys must be");
    badSpec.put("broker: {extraConfig: {storePathConsumeQueue: /tmp/cq}}", "may not move the store");
    badSpec.put("broker: {brokerRole: SLAVE}", "brokerRole SLAVE is no longer accepted: roles are derived");
    badSpec.put("broker: {replicas: 4}", "spec.broker.replicas");
    badSpec.put("broker: {extraConfig: {enableControllerMode: \"true\"}}", "the controller mode is out of scope");
    badSpec.put("broker: {extraConfig: {inSyncReplicas: \"1\"}}", "may not switch the broker's high-availability mode");
    badSpec.put("broker: {storage: {storageClassName: \"Fast_SSD\"}}", "spec.broker.storage.storageClassName");
    // extraConfig: an allow-list generated from RocketMQ's config classes (BrokerExtraConfigKeys).
    badSpec.put("broker: {extraConfig: {sendMesageThreadPoolNums: \"8\"}}", "must be broker.conf settings the broker reads");
    badSpec.put("broker: {extraConfig: {rejectTransactionMessage: \"true\"}}", "leave the data plane running");
    badSpec.put("broker: {extraConfig: {bindAddress: 127.0.0.1}}", "leave the data plane running");
    badSpec.put("broker: {extraConfig: {mappedFileSizeCommitLog: \"1024\"}}", "resize its files");
    // Quantities and heaps: what the API server would accept here but the StatefulSet or the JVM would not.
    badSpec.put("broker: {storage: {size: 10K}}", "storage.size must be a Kubernetes quantity greater than zero");
    badSpec.put("mysql: {storage: {size: \"0\"}}", "storage.size must be a Kubernetes quantity greater than zero");
    badSpec.put("broker: {heapSize: 99999999999999999999m}", "spec.broker.heapSize");
    badSpec.put("nameServer: {heapSize: 0m}", "nameServer.heapSize must be a JVM heap size");
    badSpec.put("mysql: {existingSecret: \"../etc\"}", "spec.mysql.existingSecret");
    // A heap that does not fit under the container's memory limit (equal is refused too: the JVM needs more).
    badSpec.put("nameServer: {heapSize: 1g, resources: {limits: {memory: 1Gi}}}",
        "nameServer.heapSize must be less than resources.limits.memory");
    badSpec.put("broker: {heapSize: 2G, resources: {limits: {memory: 1536Mi}}}",
        "broker.heapSize must be less than resources.limits.memory");
    badSpec.put("order: {template: {labels: {app.kubernetes.io/instance: other}}}",
        "may not use the app.kubernetes.io/ prefix");
    badSpec.put("broker: {template: {imagePullPolicy: Sometimes}}", "spec.broker.template.imagePullPolicy");
    badSpec.put("console: {auth: {enabled: false}}", "console.auth.enabled may not be false while acl.enabled is true");
    int i = 0;
    for (var e : badSpec.entrySet()) {
      assertRefused("apiVersion: reliabletx.io/v1alpha1\nkind: ReliableTxPipeline\nmetadata:\n  name: hostile-" + (i++)
          + "\nspec:\n  " + e.getKey() + "\n", e.getValue());
    }
  }

  @Test
  @Order(4)
  void theProductionExampleIsAccepted() {
    assertThat(plane.kubectl("apply", "--dry-run=server", "-n", ns, "-f",
        Pipelines.examplesDir().resolve("production.yaml").toString())).contains("created (server dry run)");
  }

  @Test
  @Order(4)
  void theLongestAcceptedNameBuildsEveryChild() {
    String name = "n".repeat(PipelineNames.MAX_NAME_LENGTH);
    plane.kubectl("apply", "-n", ns, "-f", writeTemp("apiVersion: reliabletx.io/v1alpha1\nkind: ReliableTxPipeline\n"
        + "metadata:\n  name: " + name + "\nspec: {}\n"));
    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> ready(name));
    client.resources(ReliableTxPipeline.class).inNamespace(ns).withName(name).delete();
  }

  static String writeTemp(String yaml) {
    try {
      Path f = Files.createTempFile("rtp", ".yaml");
      f.toFile().deleteOnExit(); // else one file per run piles up in /tmp
      Files.writeString(f, yaml);
      return f.toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  void assertRefused(String yaml, String reason) throws Exception {
    Path f = Files.createTempFile("bad-rtp", ".yaml");
    f.toFile().deleteOnExit(); // else one file per run piles up in /tmp
    Files.writeString(f, yaml);
    LocalControlPlane.Result r = plane.tryKubectl("apply", "-n", ns, "-f", f.toString());
    System.out.println("[refused] " + r.output().strip());
    assertThat(r.exitCode()).as(yaml).isNotZero();
    assertThat(r.output()).contains(reason);
  }

  @Test
  @Order(5)
  void driftIsRepaired() {
    StatefulSet before = client.apps().statefulSets().inNamespace(ns).withName("minimal-broker").get();
    long t0 = System.currentTimeMillis();
    client.apps().statefulSets().inNamespace(ns).withName("minimal-broker").delete();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
      StatefulSet s = client.apps().statefulSets().inNamespace(ns).withName("minimal-broker").get();
      return s != null && !s.getMetadata().getUid().equals(before.getMetadata().getUid())
          && s.getMetadata().getDeletionTimestamp() == null;
    });
    System.out.printf("[measure] deleted broker StatefulSet recreated in %d ms%n", seconds(t0));

    String want = client.configMaps().inNamespace(ns).withName("minimal-broker-config").get().getData().get("broker.conf");
    long t1 = System.currentTimeMillis();
    plane.kubectl("patch", "configmap", "minimal-broker-config", "-n", ns, "--type=merge",
        "-p", "{\"data\":{\"broker.conf\":\"brokerName = hacked\\n\"}}");
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
        want.equals(client.configMaps().inNamespace(ns).withName("minimal-broker-config").get().getData().get("broker.conf")));
    System.out.printf("[measure] hand-edited broker ConfigMap restored in %d ms%n", seconds(t1));

    // Hand edits of a workload's spec, its labels and a NetworkPolicy's spec: LivePipelineChangesTest (the operator
    // under the chart's ServiceAccount).
  }

  @Test
  @Order(6)
  void specChangeRollsTheBrokerAndKeepsTheCredentials() {
    Map<String, String> credentials = client.secrets().inNamespace(ns).withName("minimal-credentials").get().getData();
    String before = client.apps().statefulSets().inNamespace(ns).withName("minimal-broker").get().getSpec().getTemplate()
        .getMetadata().getAnnotations().get(PipelineNames.CONFIG_HASH_ANNOTATION);
    plane.kubectl("patch", "rtp", "minimal", "-n", ns, "--type=merge", "-p", "{\"spec\":{\"broker\":{\"fileReservedTime\":24}}}");
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
      StatefulSet s = client.apps().statefulSets().inNamespace(ns).withName("minimal-broker").get();
      String conf = client.configMaps().inNamespace(ns).withName("minimal-broker-config").get().getData().get("broker.conf");
      return conf.contains("fileReservedTime = 24")
          && !before.equals(s.getSpec().getTemplate().getMetadata().getAnnotations().get(PipelineNames.CONFIG_HASH_ANNOTATION));
    });
    try {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> ready("minimal")
          && pipeline("minimal").getStatus().getObservedGeneration().equals(pipeline("minimal").getMetadata().getGeneration()));
    } catch (RuntimeException e) {
      System.out.println("[diag] " + plane.kubectl("get", "rtp", "minimal", "-n", ns, "-o", "yaml"));
      System.out.println("[diag] " + plane.kubectl("get", "sts,pod,pvc", "-n", ns, "-o", "wide"));
      System.out.println("[diag] " + plane.kubectl("get", "sts", "minimal-broker", "-n", ns, "-o", "jsonpath={.status}"));
      throw e;
    }
    assertThat(client.secrets().inNamespace(ns).withName("minimal-credentials").get().getData())
        .as("generated credentials are kept across reconciles").isEqualTo(credentials);
  }

  @Test
  @Order(7)
  void metricsAndHealth() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + operator.httpPort();
    assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).isEqualTo(200);
    assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).isEqualTo(200);
    String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("operator_sdk");
  }

  @Test
  @Order(8)
  void deletingThePipelineKeepsItsDataAndCredentialsForTheNextOne() {
    ReliableTxPipeline p = Pipelines.example("custom.yaml", ns);
    List<String> refs = new ArrayList<>(children(p));
    refs.remove("Secret/custom-credentials");
    Map<String, String> secretBefore = client.secrets().inNamespace(ns).withName("custom-credentials").get().getData();
    long t0 = System.currentTimeMillis();
    client.resources(ReliableTxPipeline.class).inNamespace(ns).withName("custom").delete();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).alias("children left")
        .until(() -> missing(refs).size() == refs.size());
    System.out.printf("[measure] pipeline deleted -> all %d children gone in %d ms%n", refs.size(), seconds(t0));
    // Kept: the claims (retainOnDelete defaults to true) and the Secret whose passwords their data was made with.
    assertThat(claims("custom")).as("claims kept").contains("store-custom-broker-0", "data-custom-mysql-0");
    assertThat(client.secrets().inNamespace(ns).withName("custom-credentials").get().getData()).isEqualTo(secretBefore);

    plane.kubectl("apply", "-n", ns, "-f", Pipelines.examplesDir().resolve("custom.yaml").toString());
    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> ready("custom"));
    assertThat(client.secrets().inNamespace(ns).withName("custom-credentials").get().getData())
        .as("a re-created pipeline reuses the kept credentials").isEqualTo(secretBefore);

    // The documented way to delete everything (README, operator/README).
    plane.kubectl("delete", "rtp", "custom", "-n", ns, "--wait=true");
    plane.kubectl("delete", "pvc,secret", "-n", ns, "-l", "app.kubernetes.io/instance=custom");
    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).alias("everything gone").until(() ->
        missing(children(p)).size() == children(p).size() && claims("custom").isEmpty());
  }

  List<String> claims(String pipeline) {
    return client.persistentVolumeClaims().inNamespace(ns).withLabel("app.kubernetes.io/instance", pipeline).list()
        .getItems().stream().filter(c -> c.getMetadata().getDeletionTimestamp() == null)
        .map(c -> c.getMetadata().getName()).toList();
  }

  /**
   * A child the operator cannot apply (a StatefulSet of the same name already there, with another selector): the
   * failing component says so briefly, and the pipeline recovers on its own once the obstacle is gone, long after
   * JOSDK's default five retries would have run out.
   */
  @Test
  @Order(9)
  void aFailingChildIsNamedBrieflyAndRetriedUntilItWorks() throws Exception {
    plane.kubectl("apply", "-n", ns, "-f", writeTemp("""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: squat-mysql}
        spec:
          serviceName: squat-mysql
          replicas: 0
          selector: {matchLabels: {app: squatter}}
          template:
            metadata: {labels: {app: squatter}}
            spec: {containers: [{name: c, image: busybox}]}
        """));
    plane.kubectl("apply", "-n", ns, "-f", writeTemp("apiVersion: reliabletx.io/v1alpha1\nkind: ReliableTxPipeline\n"
        + "metadata:\n  name: squat\nspec: {}\n"));
    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
      ReliableTxPipeline sq = pipeline("squat");
      var mysql = sq == null || sq.getStatus() == null ? null : PipelineConditions.find(sq.getStatus().getConditions(), "MySQL");
      return mysql != null && "ReconcileError".equals(mysql.getReason());
    });
    ReliableTxPipeline failed = pipeline("squat");
    var mysql = PipelineConditions.find(failed.getStatus().getConditions(), "MySQL");
    System.out.println("[failed] MySQL: " + mysql.getMessage());
    assertThat(mysql.getMessage()).hasSizeLessThan(400).contains("squat-mysql").doesNotContain("\tat ")
        .doesNotContain("\n");
    assertThat(failed.getStatus().getPhase().name()).isEqualTo("Failed");
    var readyCondition = PipelineConditions.find(failed.getStatus().getConditions(), PipelineConditions.READY);
    assertThat(readyCondition.getMessage()).contains("MySQL");
    // Past JOSDK's default retries (5, about 26 s in all), then remove the obstacle.
    Thread.sleep(40_000);
    client.apps().statefulSets().inNamespace(ns).withName("squat-mysql").delete();
    long t0 = System.currentTimeMillis();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> ready("squat"));
    System.out.printf("[measure] obstacle removed -> Ready in %d ms%n", seconds(t0));
    client.resources(ReliableTxPipeline.class).inNamespace(ns).withName("squat").delete();
  }
}
