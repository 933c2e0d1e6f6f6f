package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import java.util.List;

/** Headless Service of the broker pod (its announced address brokerIP1 resolves through it). */
public class BrokerServiceDependent extends PipelineChildDependent<Service> {
  public BrokerServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    PipelineNames names = new PipelineNames(primary);
    return Services.service(names.broker(), names, Components.label(Components.BROKER), true,
        List.of(Services.port("broker", PipelineNames.BROKER_PORT), Services.port("broker-vip", PipelineNames.BROKER_VIP_PORT)));
  }
}
