package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.NetworkPolicies;

/** Who may reach the MySQL server: {@link NetworkPolicies#mysql}. */
public class MysqlNetworkPolicyDependent extends PipelineChildDependent<NetworkPolicy> {
  public MysqlNetworkPolicyDependent() {
    super(NetworkPolicy.class);
  }

  @Override
  protected NetworkPolicy render(ReliableTxPipeline primary) {
    return NetworkPolicies.mysql(primary);
  }
}
