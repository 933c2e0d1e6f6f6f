package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.NetworkPolicies;

/** Who may reach the name server: {@link NetworkPolicies#nameServer}. */
@KubernetesDependent(informer = @Informer(labelSelector = PipelineNames.SELECTOR))
public class NameServerNetworkPolicyDependent extends PipelineChildDependent<NetworkPolicy> {
  public NameServerNetworkPolicyDependent() {
    super(NetworkPolicy.class);
  }

  @Override
  protected NetworkPolicy render(ReliableTxPipeline primary) {
    return NetworkPolicies.nameServer(primary);
  }
}
