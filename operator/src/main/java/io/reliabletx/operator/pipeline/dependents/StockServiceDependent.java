package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.Service;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.StockService;

/** ClusterIP Service of the stock service ({@link StockService#service}). */
public class StockServiceDependent extends PipelineChildDependent<Service> {
  public StockServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service render(ReliableTxPipeline primary) {
    return StockService.service(primary);
  }
}
