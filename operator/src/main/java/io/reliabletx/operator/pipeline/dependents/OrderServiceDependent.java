package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.Service;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.OrderService;

/** ClusterIP Service of the order service ({@link OrderService#service}). */
public class OrderServiceDependent extends PipelineChildDependent<Service> {
  public OrderServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service render(ReliableTxPipeline primary) {
    return OrderService.service(primary);
  }
}
