package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.PipelineChildren;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's NetworkPolicies as objects (the local real node's bridge CNI does not enforce them), read with the
 * semantics of the NetworkPolicy API: a pod selected by no policy admits everything; a selected one admits a
 * connection only when some ingress rule's ports and peers match it. Each component admits exactly its peers.
 */
class NetworkPoliciesTest {
  static final String NS = "shop";

  record Pod(String namespace, Map<String, String> labels) {}

  static Pod pipelinePod(ReliableTxPipeline p, String componentLabel) {
    return new Pod(NS, new PipelineNames(p).selector(componentLabel));
  }

  static final Pod STRANGER = new Pod(NS, Map.of("app", "stranger"));
  static final Pod OUTSIDER = new Pod("elsewhere", Map.of("app", "client"));

  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    Map<String, String> want = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    return (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty())
        && want.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /** Namespaces here carry no labels: an empty namespaceSelector matches every namespace, any other none. */
  static boolean peerMatches(NetworkPolicyPeer peer, Pod from) {
    if (peer.getNamespaceSelector() != null) {
      LabelSelector ns = peer.getNamespaceSelector();
      boolean everyNamespace = (ns.getMatchLabels() == null || ns.getMatchLabels().isEmpty())
          && (ns.getMatchExpressions() == null || ns.getMatchExpressions().isEmpty());
      return everyNamespace && (peer.getPodSelector() == null || matches(peer.getPodSelector(), from.labels()));
    }
    return peer.getPodSelector() != null && from.namespace().equals(NS) && matches(peer.getPodSelector(), from.labels());
  }

  static boolean admits(List<NetworkPolicy> policies, Pod from, Pod to, int port) {
    List<NetworkPolicy> selecting = policies.stream()
        .filter(np -> np.getMetadata().getNamespace().equals(to.namespace())
            && matches(np.getSpec().getPodSelector(), to.labels()))
        .toList();
    if (selecting.isEmpty()) {
      return true;
    }
    for (NetworkPolicy np : selecting) {
      for (NetworkPolicyIngressRule rule : np.getSpec().getIngress()) {
        boolean portOk = rule.getPorts() == null || rule.getPorts().isEmpty()
            || rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == port);
        boolean peerOk = rule.getFrom() == null || rule.getFrom().isEmpty()
            || rule.getFrom().stream().anyMatch(peer -> peerMatches(peer, from));
        if (portOk && peerOk) {
          return true;
        }
      }
    }
    return false;
  }

  static List<NetworkPolicy> policies(ReliableTxPipeline p) {
    return PipelineChildren.of(p).values().stream().filter(NetworkPolicy.class::isInstance)
        .map(NetworkPolicy.class::cast).toList();
  }

  /** Which of the pipeline's pods (by component label) and the outsiders reach {@code to} on {@code port}. */
  static List<String> admitted(ReliableTxPipeline p, String to, int port) {
    List<NetworkPolicy> policies = policies(p);
    Map<String, Pod> sources = new java.util.LinkedHashMap<>();
    for (String c : List.of("nameserver", "broker", "topics", "console", "mysql", "orderservice", "stockservice")) {
      sources.put(c, pipelinePod(p, c));
    }
    sources.put("stranger", STRANGER);
    sources.put("outsider", OUTSIDER);
    return sources.entrySet().stream().filter(e -> admits(policies, e.getValue(), pipelinePod(p, to), port))
        .map(Map.Entry::getKey).collect(Collectors.toList());
  }

  @Test
  void everyComponentAdmitsExactlyItsPeersOnItsPorts() {
    ReliableTxPipeline p = Pipelines.defaults("p", NS);
    p.getSpec().getConsole().setEnabled(true);
    assertThat(policies(p)).hasSize(6);
    assertThat(admitted(p, "mysql", PipelineNames.MYSQL_PORT)).containsExactly("orderservice", "stockservice");
    assertThat(admitted(p, "nameserver", PipelineNames.NAMESRV_PORT))
        .containsExactly("broker", "topics", "console", "orderservice", "stockservice");
    assertThat(admitted(p, "broker", PipelineNames.BROKER_PORT))
        .containsExactly("broker", "topics", "console", "orderservice", "stockservice");
    assertThat(admitted(p, "broker", PipelineNames.BROKER_HA_PORT)).as("replication").containsExactly("broker");
    assertThat(admitted(p, "broker", 10909)).as("the broker's other listener").isEmpty();
    assertThat(admitted(p, "console", PipelineNames.HTTP_PORT)).as("console: the node only (port-forward)").isEmpty();
    assertThat(admitted(p, "orderservice", PipelineNames.HTTP_PORT)).contains("outsider", "stranger", "broker");
    assertThat(admitted(p, "stockservice", PipelineNames.HTTP_PORT)).contains("outsider", "stranger");
    assertThat(admitted(p, "orderservice", 9090)).isEmpty();
    assertThat(admitted(p, "mysql", 4444)).isEmpty();
  }

  /**
   * Every pod the pipeline gives a MySQL URL or a name server address is let in on that port, and no other pod reaches
   * MySQL: the policies follow the wiring, whatever workloads are added.
   */
  @Test
  void everyPodWiredToMysqlOrTheNameServerIsLetIn() {
    ReliableTxPipeline p = Pipelines.example("custom.yaml", NS);
    PipelineNames names = new PipelineNames(p);
    List<NetworkPolicy> policies = policies(p);
    Pod mysql = pipelinePod(p, "mysql");
    Pod nameServer = pipelinePod(p, "nameserver");
    int wiredToMysql = 0;
    int wiredToNameServer = 0;
    for (PodTemplateSpec pod : PodSettingsTest.podTemplates(p).values()) {
      String env = pod.getSpec().getContainers().get(0).getEnv().stream()
          .map(e -> e.getName() + "=" + e.getValue()).collect(Collectors.joining("\n"));
      Pod from = new Pod(NS, pod.getMetadata().getLabels());
      boolean toMysql = env.contains(names.mysqlHost());
      wiredToMysql += toMysql ? 1 : 0;
      assertThat(admits(policies, from, mysql, PipelineNames.MYSQL_PORT)).as("MySQL for %s", from).isEqualTo(toMysql);
      if (env.contains(names.nameServer() + "-0." + names.nameServer()) || env.contains(names.nameServerDomain())) {
        wiredToNameServer++;
        assertThat(admits(policies, from, nameServer, PipelineNames.NAMESRV_PORT)).as("name server for %s", from).isTrue();
      }
    }
    assertThat(wiredToMysql).isEqualTo(2);
    assertThat(wiredToNameServer).isGreaterThanOrEqualTo(3);
  }

  @Test
  void theMetricsPortsAreOpenToTheScrapersOnly() {
    ReliableTxPipeline p = Pipelines.defaults("p", NS);
    p.getSpec().getMetrics().setEnabled(true);
    assertThat(admitted(p, "broker", PipelineNames.METRICS_PORT)).as("metricsFrom empty: every namespace")
        .contains("outsider", "stranger", "orderservice");
    NetworkPolicyPeer prometheus = new NetworkPolicyPeerBuilder()
        .withPodSelector(new LabelSelectorBuilder().addToMatchLabels("app", "stranger").build()).build();
    p.getSpec().getNetworkPolicy().setMetricsFrom(List.of(prometheus));
    p.getSpec().getNetworkPolicy().setServicesFrom(List.of(new NetworkPolicyPeerBuilder()
        .withPodSelector(new LabelSelectorBuilder().addToMatchLabels("app", "gateway").build()).build()));
    assertThat(admitted(p, "broker", PipelineNames.METRICS_PORT)).containsExactly("stranger");
    // The services' /actuator/prometheus is on their HTTP port: open to the gateway (nobody here) and the scraper.
    assertThat(admitted(p, "orderservice", PipelineNames.HTTP_PORT)).containsExactly("stranger");
  }

  @Test
  void theConsoleIsOpenToConsoleFromAndGoesWithTheConsole() {
    ReliableTxPipeline p = Pipelines.defaults("p", NS);
    p.getSpec().getConsole().setEnabled(true);
    p.getSpec().getNetworkPolicy().setConsoleFrom(List.of(new NetworkPolicyPeerBuilder()
        .withPodSelector(new LabelSelectorBuilder().addToMatchLabels("app", "stranger").build()).build()));
    assertThat(admitted(p, "console", PipelineNames.HTTP_PORT)).containsExactly("stranger");
    p.getSpec().getConsole().setEnabled(false);
    assertThat(PipelineChildren.of(p)).doesNotContainKey(PipelineChildren.CONSOLE_NETPOL);
    p.getSpec().getNetworkPolicy().setEnabled(false);
    assertThat(policies(p)).isEmpty();
  }
}
