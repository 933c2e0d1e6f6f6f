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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ingress NetworkPolicies of the pipeline's back end, one per component, each named after the component's workload:
 * MySQL only from the order and stock services, the name server and the broker only from the pipeline's own pods (on
 * every port, so replication between its brokers and the console's calls are included), and the broker's metrics port
 * also from the spec's scrapers. The services and the console stay reachable: they are what users call.
 */
public final class NetworkPolicies {
  private NetworkPolicies() {}

  public static boolean enabled(ReliableTxPipeline primary) {
    return primary.getSpec().getNetworkPolicy().isEnabled();
  }

  public static NetworkPolicy mysql(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    return policy(names.mysql(), names, Components.label(Components.MYSQL), List.of(new NetworkPolicyIngressRuleBuilder()
        .withFrom(pods(names.selector(Components.label(Components.ORDER))),
            pods(names.selector(Components.label(Components.STOCK))))
        .addNewPort().withProtocol("TCP").withPort(new IntOrString(PipelineNames.MYSQL_PORT)).endPort()
        .build()));
  }

  public static NetworkPolicy nameServer(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    return policy(names.nameServer(), names, Components.label(Components.NAME_SERVER), List.of(fromPipeline(names)));
  }

  /** When metrics are on, the exporter's port is open to {@code networkPolicy.metricsFrom} (any namespace if empty). */
  public static NetworkPolicy broker(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    List<NetworkPolicyIngressRule> rules = new ArrayList<>(List.of(fromPipeline(names)));
    if (primary.getSpec().getMetrics().isEnabled()) {
      List<NetworkPolicyPeer> scrapers = primary.getSpec().getNetworkPolicy().getMetricsFrom();
      rules.add(new NetworkPolicyIngressRuleBuilder()
          .withFrom(scrapers.isEmpty() ? List.of(new NetworkPolicyPeerBuilder().withNewNamespaceSelector()
              .endNamespaceSelector().build()) : scrapers)
          .addNewPort().withProtocol("TCP").withPort(new IntOrString(PipelineNames.METRICS_PORT)).endPort()
          .build());
    }
    return policy(names.broker(), names, Components.label(Components.BROKER), rules);
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

  /** Any pod of this pipeline (every pod the operator makes carries its instance and managed-by labels). */
  private static NetworkPolicyIngressRule fromPipeline(PipelineNames names) {
    return new NetworkPolicyIngressRuleBuilder().withFrom(pods(names.pipelineSelector())).build();
  }

  private static NetworkPolicyPeer pods(Map<String, String> labels) {
    return new NetworkPolicyPeerBuilder()
        .withPodSelector(new LabelSelectorBuilder().withMatchLabels(labels).build()).build();
  }
}
