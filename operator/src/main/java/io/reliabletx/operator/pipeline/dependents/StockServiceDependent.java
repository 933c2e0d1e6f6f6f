package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import java.util.List;

/** ClusterIP Service of the stock service. */
public class StockServiceDependent extends PipelineChildDependent<Service> {
  public StockServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    PipelineNames names = new PipelineNames(primary);
    return Services.service(names.stock(), names, Components.label(Components.STOCK), false,
        List.of(Services.port("http", PipelineNames.HTTP_PORT)));
  }
}
