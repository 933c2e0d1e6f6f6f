package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.Broker;

/** The broker group's PodDisruptionBudget ({@link Broker#disruptionBudget}). */
// Status updates that change nothing the pipeline reads start no reconcile (ChildChangeFilter).
@KubernetesDependent(informer = @Informer(labelSelector = PipelineNames.SELECTOR, onUpdateFilter = ChildChangeFilter.class))
public class BrokerDisruptionBudgetDependent extends PipelineChildDependent<PodDisruptionBudget> {
  public BrokerDisruptionBudgetDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget render(ReliableTxPipeline primary) {
    return Broker.disruptionBudget(primary);
  }
}
