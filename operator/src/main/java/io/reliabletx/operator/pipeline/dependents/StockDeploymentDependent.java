package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.wiring.ServiceEnv;

/** The stock service, wired through the DESIGN.md env vars. */
public class StockDeploymentDependent extends PipelineChildDependent<Deployment> {
  public StockDeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    PipelineNames names = new PipelineNames(primary);
    var spec = primary.getSpec().getStock();
    return SampleDeployments.deployment(names.stock(), names, Components.label(Components.STOCK),
        spec.getImage(), spec.getReplicas(), ServiceEnv.stock(primary.getSpec(), names));
  }
}
