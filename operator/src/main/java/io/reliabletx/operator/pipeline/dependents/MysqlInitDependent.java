package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.Mysql;

/** The init scripts of MySQL ({@link Mysql#init}). */
public class MysqlInitDependent extends PipelineChildDependent<ConfigMap> {
  public MysqlInitDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap render(ReliableTxPipeline primary) {
    return Mysql.init(primary);
  }
}
