package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.NetworkPolicies;

/** Who may reach the console: {@link NetworkPolicies#console}. */
public class ConsoleNetworkPolicyDependent extends PipelineChildDependent<NetworkPolicy> {
  public ConsoleNetworkPolicyDependent() {
    super(NetworkPolicy.class);
  }

  @Override
  protected NetworkPolicy render(ReliableTxPipeline primary) {
    return NetworkPolicies.console(primary);
  }
}
