package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.OrderService;

/** The order service ({@link OrderService#deployment}). */
// Status updates that change nothing the pipeline reads start no reconcile (ChildChangeFilter).
@KubernetesDependent(informer = @Informer(labelSelector = PipelineNames.SELECTOR, onUpdateFilter = ChildChangeFilter.class))
public class OrderDeploymentDependent extends PipelineChildDependent<Deployment> {
  public OrderDeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment render(ReliableTxPipeline primary) {
    return OrderService.deployment(primary);
  }
}
