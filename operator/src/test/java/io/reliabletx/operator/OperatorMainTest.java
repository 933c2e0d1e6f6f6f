package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorMainTest {
  @Test
  void watchNamespacesAndEnvAliases() {
    assertThat(OperatorMain.parseNamespaces("")).isEmpty();
    assertThat(OperatorMain.parseNamespaces(" a, b ,,")).containsExactlyInAnyOrder("a", "b");
    assertThat(OperatorMain.firstOf(Map.of("LEADER_ELECTION_ENABLED", "true"), "false", "LEADER_ELECTION",
        "LEADER_ELECTION_ENABLED")).isEqualTo("true");
    assertThat(OperatorMain.firstOf(Map.of(), "8080", "HTTP_PORT", "METRICS_PORT")).isEqualTo("8080");
  }

  /** 16 dependents, 6 kinds: one informer per kind (the Secret's is opened only when the Secret is generated). */
  @Test
  void oneInformerPerKindOfChild() {
    try (KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build()).build()) {
      OperatorMain main = new OperatorMain(client, Set.of("ns"), null);
      List<String> kinds = main.operator().getRuntimeInfo().getRegisteredControllers().iterator().next()
          .getControllerHealthInfo().eventSourceHealthIndicators().values().stream()
          .filter(InformerEventSource.class::isInstance)
          .map(es -> ((InformerEventSource<?, ?>) es).resourceType().getSimpleName())
          .toList();
      assertThat(kinds).containsExactlyInAnyOrder("StatefulSet", "Deployment", "Service", "ConfigMap", "Job");
    }
  }
}
