package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.wiring.ServiceEnv;

/** The order service, wired through the DESIGN.md env vars. */
@KubernetesDependent(informer = @Informer(labelSelector = PipelineNames.SELECTOR))
public class OrderDeploymentDependent extends PipelineChildDependent<Deployment> {
  public OrderDeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    PipelineNames names = new PipelineNames(primary);
    var spec = primary.getSpec().getOrder();
    return SampleDeployments.deployment(names.order(), names, Components.label(Components.ORDER),
        spec.getImage(), spec.getReplicas(), ServiceEnv.order(primary.getSpec(), names));
  }
}
