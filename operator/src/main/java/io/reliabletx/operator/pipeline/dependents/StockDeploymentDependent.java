package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.StockService;

/** The stock service ({@link StockService#deployment}). */
public class StockDeploymentDependent extends PipelineChildDependent<Deployment> {
  public StockDeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment render(ReliableTxPipeline primary) {
    return StockService.deployment(primary);
  }
}
