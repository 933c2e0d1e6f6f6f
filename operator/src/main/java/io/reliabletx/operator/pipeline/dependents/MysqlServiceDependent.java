package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.Service;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.Mysql;

/** Service of MySQL ({@link Mysql#service}). */
public class MysqlServiceDependent extends PipelineChildDependent<Service> {
  public MysqlServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service render(ReliableTxPipeline primary) {
    return Mysql.service(primary);
  }
}
