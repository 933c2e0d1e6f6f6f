package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.NetworkPolicies;

/** Who may reach the stock service: {@link NetworkPolicies#stockService}. */
public class StockServiceNetworkPolicyDependent extends PipelineChildDependent<NetworkPolicy> {
  public StockServiceNetworkPolicyDependent() {
    super(NetworkPolicy.class);
  }

  @Override
  protected NetworkPolicy render(ReliableTxPipeline primary) {
    return NetworkPolicies.stockService(primary);
  }
}
