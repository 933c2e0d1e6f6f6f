package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.Broker;

/** Headless Service of the broker pod ({@link Broker#service}). */
public class BrokerServiceDependent extends PipelineChildDependent<Service> {
  public BrokerServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    return Broker.service(primary);
  }
}
