package io.reliabletx.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.reliabletx.operator.pipeline.acl.RocketMqAcl;
import io.reliabletx.testing.k8s.LocalControlPlane;
import io.reliabletx.testing.machine.Pause;
import io.reliabletx.testing.testbed.ConsistencyCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One pipeline of the end-to-end tests on the real node, seen from outside as a user sees it: its manifest (from
 * examples/local.yaml), its pods, the broker's running config, the order service's address and the consistency of
 * both databases.
 */
final class RealNodePipeline {
  /** Stock of each sample product (schema db/stock/sample-data.sql). */
  static final Map<Long, Integer> INITIAL_STOCK = Map.of(1L, 1000, 2L, 1000, 3L, 1000);

  private final LocalControlPlane plane;
  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private String credentialsSecret;

  RealNodePipeline(LocalControlPlane plane, String namespace, String name) {
    this.plane = plane;
    this.client = plane.client();
    this.namespace = namespace;
    this.name = name;
  }

  /**
   * examples/local.yaml (the images built here, the console off) under this pipeline's name, with claims deleted
   * with the pipeline, then changed by {@code spec} (the spec as nested maps).
   */
  @SuppressWarnings("unchecked")
  String manifest(Consumer<Map<String, Object>> spec) throws Exception {
    GenericKubernetesResource pipeline = Serialization.unmarshal(
        Files.readString(plane.repoRoot().resolve("examples/local.yaml")), GenericKubernetesResource.class);
    pipeline.getMetadata().setName(name);
    Map<String, Object> specMap = (Map<String, Object>) pipeline.getAdditionalProperties().get("spec");
    for (String component : List.of("broker", "mysql")) {
      ((Map<String, Object>) ((Map<String, Object>) specMap.get(component)).get("storage")).put("retainOnDelete", false);
    }
    spec.accept(specMap);
    return Serialization.asYaml(pipeline);
  }

  /** The cluster admin's client, closed with the pipeline's {@link OperatorRelease}. */
  KubernetesClient client() {
    return client;
  }

  /** {@code kubectl apply} of a manifest. */
  void apply(String yaml) throws Exception {
    Path file = Files.createTempFile("pipeline", ".yaml");
    file.toFile().deleteOnExit(); // else one file per run piles up in /tmp
    Files.writeString(file, yaml);
    plane.kubectl("apply", "-n", namespace, "-f", file.toString());
  }

  static boolean ready(Pod pod) {
    return pod != null && pod.getStatus() != null && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  Pod pod(String podName) {
    return client.pods().inNamespace(namespace).withName(podName).get();
  }

  /**
   * {@code mqadmin getBrokerConfig} run inside broker pod {@code ordinal}: what the running broker says of its config.
   * Asked again for up to a minute while it prints nothing (a broker just restarted, or its answer timed out on a
   * saturated machine).
   */
  Map<String, String> brokerConfig(int ordinal) {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 12; attempt++) {
      LocalControlPlane.Result out = mqadmin(ordinal, true, "getBrokerConfig", "-b", "127.0.0.1:10911");
      try {
        return BrokerConfigOutput.parse(out.output());
      } catch (IllegalStateException e) {
        last = e;
        Pause.millis(5000);
      }
    }
    throw last;
  }

  /**
   * mqadmin in broker pod {@code ordinal}; signed in as the super user (the ACL is on by default) with the tools.yml
   * the broker pod's init container wrote from the Secret, or, {@code signedIn} false, as nobody.
   */
  LocalControlPlane.Result mqadmin(int ordinal, boolean signedIn, String... args) {
    List<String> command = new ArrayList<>(List.of("exec", "-n", namespace, name + "-broker-" + ordinal, "-c",
        "broker", "--", "env", "JAVA_OPT_EXT=" + (signedIn ? "-Drocketmq.home.dir=" + RocketMqAcl.ADMIN_HOME : ""),
        "sh", "mqadmin"));
    command.addAll(List.of(args));
    return plane.tryKubectl(command.toArray(String[]::new));
  }

  /**
   * How far broker pod {@code ordinal}'s commit log reaches ({@code mqadmin brokerStatus}: commitLogMaxOffset), or -1
   * when it did not answer: a slave's grows as it replicates its master's.
   */
  long commitLogMaxOffset(int ordinal) {
    String out = mqadmin(ordinal, true, "brokerStatus", "-b", "127.0.0.1:10911").output();
    return out.lines().map(String::strip).filter(l -> l.startsWith("commitLogMaxOffset"))
        .map(l -> l.substring(l.indexOf(':') + 1).strip()).mapToLong(Long::parseLong).findFirst().orElse(-1);
  }

  String orderServiceAddress() {
    String ip = client.services().inNamespace(namespace).withName(name + "-order").get().getSpec().getClusterIP();
    return "http://" + ip + ":8080";
  }

  /** The pipeline's credentials Secret: the one the operator generates, or the user's (mysql.existingSecret). */
  private String credentialsSecret() {
    return credentialsSecret != null ? credentialsSecret : name + "-credentials";
  }

  /** The pipeline uses the user's own credentials Secret (mysql.existingSecret). */
  void useCredentialsSecret(String secret) {
    credentialsSecret = secret;
  }

  /** The order and stock databases, signed in as the services with their passwords from the credentials Secret. */
  ConsistencyCheck.Report consistency() throws Exception {
    Secret secret = client.secrets().inNamespace(namespace).withName(credentialsSecret()).get();
    Pod mysql = pod(name + "-mysql-0");
    String base = "jdbc:mysql://" + mysql.getStatus().getPodIP() + ":3306/";
    try (Connection ordersDb = DriverManager.getConnection(base + "tx-msg-orders", value(secret, "orders-username"),
             value(secret, "orders-password"));
         Connection stockDb = DriverManager.getConnection(base + "tx-msg-stock", value(secret, "stock-username"),
             value(secret, "stock-password"))) {
      return ConsistencyCheck.check(ordersDb, stockDb, INITIAL_STOCK);
    }
  }

  private static String value(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(Objects.requireNonNull(secret.getData().get(key), key)),
        StandardCharsets.UTF_8);
  }
}
