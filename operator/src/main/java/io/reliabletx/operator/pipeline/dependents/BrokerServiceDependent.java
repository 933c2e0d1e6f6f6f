package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.Service;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.Broker;

/** Headless Service of the broker pod ({@link Broker#service}). */
public class BrokerServiceDependent extends PipelineChildDependent<Service> {
  public BrokerServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service render(ReliableTxPipeline primary) {
    return Broker.service(primary);
  }
}
