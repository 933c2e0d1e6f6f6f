package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import java.util.List;

/** ClusterIP Service of the console. */
public class ConsoleServiceDependent extends PipelineChildDependent<Service> {
  public ConsoleServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    PipelineNames names = new PipelineNames(primary);
    return Services.service(names.console(), names, Components.label(Components.CONSOLE), false,
        List.of(Services.port("http", PipelineNames.HTTP_PORT)));
  }
}
