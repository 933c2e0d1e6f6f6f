package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator as its environment configures it: registered, not started, its API server unreachable. */
class OperatorMainTest {
  KubernetesClient client;

  @BeforeEach
  void client() {
    client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build())
        .build();
  }

  @AfterEach
  void close() {
    client.close();
  }

  RegisteredController<?> controller(OperatorMain main) {
    return main.operator().getRuntimeInfo().getRegisteredControllers().iterator().next();
  }

  @Test
  void watchNamespacesIsTheListOfNamespacesTheControllerWatches() {
    assertThat(controller(OperatorMain.fromEnvironment(client, Map.of("WATCH_NAMESPACES", " a, b ,,")))
        .getConfiguration().getEffectiveNamespaces()).containsExactlyInAnyOrder("a", "b");
    assertThat(controller(OperatorMain.fromEnvironment(client, Map.of("WATCH_NAMESPACES", " ")))
        .getConfiguration().getInformerConfig().watchAllNamespaces()).isTrue();
  }

  @Test
  void leaderElectionIsOnOnlyWhenAskedUnderEitherName() {
    for (String enabled : List.of("LEADER_ELECTION", "LEADER_ELECTION_ENABLED")) {
      LeaderElectionConfiguration le = OperatorMain.fromEnvironment(client, Map.of(enabled, "true",
          "LEADER_ELECTION_LEASE_NAME", "rtx-lease", "LEADER_ELECTION_NAMESPACE", "rtx-system"))
          .operator().getConfigurationService().getLeaderElectionConfiguration().orElseThrow();
      assertThat(le.getLeaseName()).as(enabled).isEqualTo("rtx-lease");
      assertThat(le.getLeaseNamespace()).as(enabled).contains("rtx-system");
    }
    assertThat(OperatorMain.fromEnvironment(client, Map.of("LEADER_ELECTION_LEASE", "x")).operator()
        .getConfigurationService().getLeaderElectionConfiguration()).isEmpty();
  }

  @Test
  void healthReadinessAndMetricsOnTheConfiguredPort() throws Exception {
    assertThat(OperatorMain.httpPort(Map.of())).isEqualTo(8080);
    assertThat(OperatorMain.httpPort(Map.of("METRICS_PORT", "9090"))).isEqualTo(9090);
    OperatorMain main = OperatorMain.fromEnvironment(client, Map.of());
    main.serveHttp(0);
    try {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + main.httpPort();
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).as("not started").isEqualTo(503);
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    } finally {
      main.stop();
    }
  }

  @Test
  void theClientWaitsAsLongAsTheApiServerBeforeRetrying() {
    assertThat(OperatorMain.clientConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build())
        .getRequestTimeout()).isEqualTo(60_000);
  }

  @Test
  void reconcileAndWorkflowThreadsFromTheEnvironment() {
    var defaults = OperatorMain.fromEnvironment(client, Map.of()).operator().getConfigurationService();
    assertThat(defaults.concurrentReconciliationThreads()).isEqualTo(OperatorMain.Threads.DEFAULT.reconcile());
    assertThat(defaults.concurrentWorkflowExecutorThreads()).isEqualTo(OperatorMain.Threads.DEFAULT.workflow());
    var set = OperatorMain.fromEnvironment(client, Map.of("RECONCILE_THREADS", "3", "WORKFLOW_THREADS", " 7 "))
        .operator().getConfigurationService();
    assertThat(set.concurrentReconciliationThreads()).isEqualTo(3);
    assertThat(set.concurrentWorkflowExecutorThreads()).isEqualTo(7);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OperatorMain.Threads.fromEnvironment(Map.of("WORKFLOW_THREADS", "0")))
        .hasMessageContaining("WORKFLOW_THREADS");
  }

  /** 19 dependents, 7 kinds: one informer per kind (the Secret's is opened only when the Secret is generated). */
  @Test
  void oneInformerPerKindOfChild() {
    List<String> kinds = controller(OperatorMain.fromEnvironment(client, Map.of("WATCH_NAMESPACES", "ns")))
        .getControllerHealthInfo().eventSourceHealthIndicators().values().stream()
        .filter(InformerEventSource.class::isInstance)
        .map(es -> ((InformerEventSource<?, ?>) es).resourceType().getSimpleName())
        .toList();
    assertThat(kinds).containsExactlyInAnyOrder("StatefulSet", "Deployment", "Service", "ConfigMap", "Job",
        "NetworkPolicy", "PodDisruptionBudget");
  }
}
