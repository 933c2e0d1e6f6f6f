package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.Service;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.Console;

/** ClusterIP Service of the console ({@link Console#service}). */
public class ConsoleServiceDependent extends PipelineChildDependent<Service> {
  public ConsoleServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service render(ReliableTxPipeline primary) {
    return Console.service(primary);
  }
}
