package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.NetworkPolicies;
import io.reliabletx.operator.pipeline.children.PipelineChildren;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Who may reach MySQL, the name server and the broker. */
class NetworkPoliciesTest {
  static final Map<String, String> ORDER = Map.of("app.kubernetes.io/instance", "minimal",
      "app.kubernetes.io/component", "orderservice");
  static final Map<String, String> STOCK = Map.of("app.kubernetes.io/instance", "minimal",
      "app.kubernetes.io/component", "stockservice");
  static final Map<String, String> PIPELINE = Map.of("app.kubernetes.io/instance", "minimal",
      "app.kubernetes.io/managed-by", "reliable-tx-operator");

  static Map<String, String> podSelector(NetworkPolicyPeer peer) {
    return peer.getPodSelector().getMatchLabels();
  }

  @Test
  void mysqlOnlyFromTheOrderAndStockServicesOnItsPort() {
    NetworkPolicy p = NetworkPolicies.mysql(Pipelines.example("minimal.yaml", "shop"));
    assertThat(p.getMetadata().getName()).isEqualTo("minimal-mysql");
    assertThat(p.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", "mysql");
    assertThat(p.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(p.getSpec().getIngress()).singleElement().satisfies(rule -> {
      assertThat(rule.getFrom()).extracting(NetworkPoliciesTest::podSelector).containsExactly(ORDER, STOCK);
      assertThat(rule.getPorts()).singleElement().satisfies(port -> assertThat(port.getPort().getIntVal()).isEqualTo(3306));
    });
  }

  @Test
  void theNameServerOnlyFromThePipelinesPods() {
    NetworkPolicy p = NetworkPolicies.nameServer(Pipelines.example("minimal.yaml", "shop"));
    assertThat(p.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", "nameserver");
    assertThat(p.getSpec().getIngress()).singleElement().satisfies(rule -> {
      assertThat(rule.getFrom()).extracting(NetworkPoliciesTest::podSelector).containsExactly(PIPELINE);
      assertThat(rule.getPorts()).isNullOrEmpty();
    });
  }

  @Test
  void theBrokerFromThePipelinesPodsAndItsMetricsPortFromTheScrapers() {
    ReliableTxPipeline minimal = Pipelines.example("minimal.yaml", "shop");
    NetworkPolicy p = NetworkPolicies.broker(minimal);
    assertThat(p.getSpec().getIngress()).hasSize(2);
    assertThat(p.getSpec().getIngress().get(0).getFrom()).extracting(NetworkPoliciesTest::podSelector)
        .containsExactly(PIPELINE);
    var metrics = p.getSpec().getIngress().get(1);
    assertThat(metrics.getPorts()).singleElement().satisfies(port -> assertThat(port.getPort().getIntVal()).isEqualTo(5557));
    assertThat(metrics.getFrom()).singleElement().satisfies(peer -> {
      assertThat(peer.getNamespaceSelector()).as("any namespace by default").isNotNull();
      assertThat(peer.getPodSelector()).isNull();
    });

    NetworkPolicyPeer prometheus = new NetworkPolicyPeerBuilder().withNewNamespaceSelector()
        .addToMatchLabels("kubernetes.io/metadata.name", "monitoring").endNamespaceSelector().build();
    minimal.getSpec().getNetworkPolicy().setMetricsFrom(List.of(prometheus));
    assertThat(NetworkPolicies.broker(minimal).getSpec().getIngress().get(1).getFrom()).containsExactly(prometheus);

    minimal.getSpec().getMetrics().setEnabled(false);
    assertThat(NetworkPolicies.broker(minimal).getSpec().getIngress()).as("no metrics port without metrics").hasSize(1);
  }

  /**
   * Every pod the pipeline gives a MySQL URL or a name server address is let in by that policy, and no other pod
   * reaches MySQL: the policies follow the wiring, whatever workloads are added.
   */
  @Test
  void everyPodWiredToMysqlOrTheNameServerIsLetIn() {
    ReliableTxPipeline p = Pipelines.example("custom.yaml", "shop");
    PipelineNames names = new PipelineNames(p);
    NetworkPolicy mysql = NetworkPolicies.mysql(p);
    NetworkPolicy nameServer = NetworkPolicies.nameServer(p);
    int wiredToMysql = 0;
    for (PodTemplateSpec pod : PodSettingsTest.podTemplates(p).values()) {
      String env = pod.getSpec().getContainers().get(0).getEnv().stream()
          .map(e -> e.getName() + "=" + e.getValue()).collect(Collectors.joining("\n"));
      Map<String, String> labels = pod.getMetadata().getLabels();
      boolean toMysql = env.contains(names.mysqlHost());
      wiredToMysql += toMysql ? 1 : 0;
      assertThat(admits(mysql, labels)).as("MySQL policy for %s", labels).isEqualTo(toMysql);
      if (env.contains(names.nameServer() + "-0." + names.nameServer())) {
        assertThat(admits(nameServer, labels)).as("name server policy for %s", labels).isTrue();
      }
    }
    assertThat(wiredToMysql).isEqualTo(2);
  }

  /** Whether a pod with {@code labels} in the policy's namespace matches one of its peers' pod selectors. */
  static boolean admits(NetworkPolicy policy, Map<String, String> labels) {
    return policy.getSpec().getIngress().stream().flatMap(rule -> rule.getFrom().stream())
        .filter(peer -> peer.getPodSelector() != null && peer.getNamespaceSelector() == null)
        .anyMatch(peer -> labels.entrySet().containsAll(peer.getPodSelector().getMatchLabels().entrySet()));
  }

  @Test
  void switchedOffThereAreNone() {
    ReliableTxPipeline p = Pipelines.example("minimal.yaml", "shop");
    assertThat(PipelineChildren.of(p)).containsKeys(PipelineChildren.NAMESRV_NETPOL, PipelineChildren.BROKER_NETPOL,
        PipelineChildren.MYSQL_NETPOL);
    p.getSpec().getNetworkPolicy().setEnabled(false);
    assertThat(PipelineChildren.of(p)).doesNotContainKeys(PipelineChildren.NAMESRV_NETPOL,
        PipelineChildren.BROKER_NETPOL, PipelineChildren.MYSQL_NETPOL);
  }
}
