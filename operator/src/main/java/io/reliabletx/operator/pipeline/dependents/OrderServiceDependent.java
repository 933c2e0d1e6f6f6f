package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import java.util.List;

/** ClusterIP Service of the order service. */
public class OrderServiceDependent extends PipelineChildDependent<Service> {
  public OrderServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    PipelineNames names = new PipelineNames(primary);
    return Services.service(names.order(), names, Components.label(Components.ORDER), false,
        List.of(Services.port("http", PipelineNames.HTTP_PORT)));
  }
}
