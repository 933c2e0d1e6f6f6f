package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.NameServer;

/** The NameServer StatefulSet ({@link NameServer#statefulSet}). */
// Status updates that change nothing the pipeline reads start no reconcile (ChildChangeFilter).
@KubernetesDependent(informer = @Informer(labelSelector = PipelineNames.SELECTOR, onUpdateFilter = ChildChangeFilter.class))
public class NameServerDependent extends PipelineChildDependent<StatefulSet> {
  public NameServerDependent() {
    super(StatefulSet.class);
  }

  @Override
  protected StatefulSet render(ReliableTxPipeline primary) {
    return NameServer.statefulSet(primary);
  }
}
