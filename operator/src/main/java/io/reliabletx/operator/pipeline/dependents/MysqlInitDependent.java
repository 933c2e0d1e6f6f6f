package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.mysql.MysqlInit;

/** The init scripts of MySQL, built from the schema jar. */
public class MysqlInitDependent extends PipelineChildDependent<ConfigMap> {
  public MysqlInitDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    PipelineNames names = new PipelineNames(primary);
    return new ConfigMapBuilder()
        .withMetadata(Meta.of(names.mysqlInit(), names, Components.label(Components.MYSQL)))
        .withData(MysqlInit.files())
        .build();
  }
}
