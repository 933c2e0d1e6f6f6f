package io.reliabletx.operator.pipeline.children;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.spec.NetworkPolicySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Ingress NetworkPolicies of the pipeline, one per component, each named after the component's workload, each
 * admitting exactly the peers that need it, on the ports they use:
 * <ul>
 *   <li>MySQL (3306): the order and stock services;
 *   <li>the name server (9876): the brokers, the services, the topics Job and the console (every RocketMQ client);
 *   <li>the broker: its client port (10911) from the same clients and the group's other brokers (a slave asks its
 *       master for topics and offsets there), the replication port (10912) from the group's brokers only, and the
 *       metrics port from {@code networkPolicy.metricsFrom};
 *   <li>the console (8080): {@code networkPolicy.consoleFrom} only (empty: nobody but the node, so
 *       {@code kubectl port-forward} still works: traffic from a pod's own node is always admitted);
 *   <li>the order and stock services (8080, their API and /actuator/prometheus): {@code networkPolicy.servicesFrom}
 *       (empty: every namespace: they are what users call), plus the metrics scrapers.
 * </ul>
 * Every other port of these pods is closed to every peer.
 */
public final class NetworkPolicies {
  private NetworkPolicies() {}

  public static boolean enabled(ReliableTxPipeline primary) {
    return primary.getSpec().getNetworkPolicy().isEnabled();
  }

  public static boolean consoleEnabled(ReliableTxPipeline primary) {
    return enabled(primary) && Console.enabled(primary);
  }

  public static NetworkPolicy mysql(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    return policy(names.mysql(), names, Components.label(Components.MYSQL), List.of(
        rule(List.of(pods(names, Components.ORDER), pods(names, Components.STOCK)), PipelineNames.MYSQL_PORT)));
  }

  public static NetworkPolicy nameServer(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    List<NetworkPolicyPeer> clients = new ArrayList<>(rocketMqClients(names));
    clients.add(pods(names, Components.BROKER));
    return policy(names.nameServer(), names, Components.label(Components.NAME_SERVER),
        List.of(rule(clients, PipelineNames.NAMESRV_PORT)));
  }

  /** When metrics are on, the exporter's port is open to {@code networkPolicy.metricsFrom} (any namespace if empty). */
  public static NetworkPolicy broker(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    List<NetworkPolicyPeer> clients = new ArrayList<>(rocketMqClients(names));
    clients.add(pods(names, Components.BROKER));
    List<NetworkPolicyIngressRule> rules = new ArrayList<>(List.of(rule(clients, PipelineNames.BROKER_PORT),
        rule(List.of(pods(names, Components.BROKER)), PipelineNames.BROKER_HA_PORT)));
    if (primary.getSpec().getMetrics().isEnabled()) {
      rules.add(rule(orEveryNamespace(primary.getSpec().getNetworkPolicy().getMetricsFrom()), PipelineNames.METRICS_PORT));
    }
    return policy(names.broker(), names, Components.label(Components.BROKER), rules);
  }

  /** No rule when {@code consoleFrom} is empty: only the node (port-forward) reaches it. */
  public static NetworkPolicy console(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    List<NetworkPolicyPeer> from = primary.getSpec().getNetworkPolicy().getConsoleFrom();
    return policy(names.console(), names, Components.label(Components.CONSOLE),
        from.isEmpty() ? List.of() : List.of(rule(from, PipelineNames.HTTP_PORT)));
  }

  public static NetworkPolicy orderService(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    return policy(names.order(), names, Components.label(Components.ORDER), httpRules(primary));
  }

  public static NetworkPolicy stockService(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    return policy(names.stock(), names, Components.label(Components.STOCK), httpRules(primary));
  }

  private static List<NetworkPolicyIngressRule> httpRules(ReliableTxPipeline primary) {
    NetworkPolicySpec spec = primary.getSpec().getNetworkPolicy();
    List<NetworkPolicyIngressRule> rules = new ArrayList<>(
        List.of(rule(orEveryNamespace(spec.getServicesFrom()), PipelineNames.HTTP_PORT)));
    if (primary.getSpec().getMetrics().isEnabled() && !spec.getServicesFrom().isEmpty()) {
      rules.add(rule(orEveryNamespace(spec.getMetricsFrom()), PipelineNames.HTTP_PORT));
    }
    return rules;
  }

  private static NetworkPolicy policy(String name, PipelineNames names, String component,
      List<NetworkPolicyIngressRule> rules) {
    return new NetworkPolicyBuilder()
        .withMetadata(Meta.of(name, names, component))
        .withNewSpec()
          .withNewPodSelector().withMatchLabels(names.selector(component)).endPodSelector()
          .withPolicyTypes("Ingress")
          .withIngress(rules)
        .endSpec()
        .build();
  }

  private static NetworkPolicyIngressRule rule(List<NetworkPolicyPeer> from, int port) {
    return new NetworkPolicyIngressRuleBuilder().withFrom(from)
        .addNewPort().withProtocol("TCP").withPort(new IntOrString(port)).endPort().build();
  }

  /** The pipeline's RocketMQ clients: the services, the topics Job, the console. */
  private static List<NetworkPolicyPeer> rocketMqClients(PipelineNames names) {
    return List.of(pods(names, Components.ORDER), pods(names, Components.STOCK), pods(names, Components.TOPICS),
        pods(names, Components.CONSOLE));
  }

  /** The given peers, or every pod of every namespace when there are none. */
  private static List<NetworkPolicyPeer> orEveryNamespace(List<NetworkPolicyPeer> peers) {
    return peers.isEmpty()
        ? List.of(new NetworkPolicyPeerBuilder().withNewNamespaceSelector().endNamespaceSelector().build()) : peers;
  }

  /** The pods of one component of this pipeline. */
  private static NetworkPolicyPeer pods(PipelineNames names, String component) {
    return new NetworkPolicyPeerBuilder()
        .withPodSelector(new LabelSelectorBuilder().withMatchLabels(names.selector(Components.label(component))).build())
        .build();
  }
}
