package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.Mysql;

/** The MySQL StatefulSet ({@link Mysql#statefulSet}). */
public class MysqlDependent extends PipelineChildDependent<StatefulSet> {
  public MysqlDependent() {
    super(StatefulSet.class);
  }

  @Override
  protected StatefulSet render(ReliableTxPipeline primary) {
    return Mysql.statefulSet(primary);
  }
}
