package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.Broker;

/** The broker StatefulSet ({@link Broker#statefulSet}). */
public class BrokerDependent extends PipelineChildDependent<StatefulSet> {
  public BrokerDependent() {
    super(StatefulSet.class);
  }

  @Override
  protected StatefulSet render(ReliableTxPipeline primary) {
    return Broker.statefulSet(primary);
  }
}
