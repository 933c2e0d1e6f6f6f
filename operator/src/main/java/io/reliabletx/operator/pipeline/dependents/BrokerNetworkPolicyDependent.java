package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.NetworkPolicies;

/** Who may reach the broker: {@link NetworkPolicies#broker}. */
public class BrokerNetworkPolicyDependent extends PipelineChildDependent<NetworkPolicy> {
  public BrokerNetworkPolicyDependent() {
    super(NetworkPolicy.class);
  }

  @Override
  protected NetworkPolicy render(ReliableTxPipeline primary) {
    return NetworkPolicies.broker(primary);
  }
}
