package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import java.util.List;

/** Service of MySQL. */
public class MysqlServiceDependent extends PipelineChildDependent<Service> {
  public MysqlServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    PipelineNames names = new PipelineNames(primary);
    return Services.service(names.mysql(), names, Components.label(Components.MYSQL), false,
        List.of(Services.port("mysql", PipelineNames.MYSQL_PORT)));
  }
}
