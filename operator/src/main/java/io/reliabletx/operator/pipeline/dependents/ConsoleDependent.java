package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.Console;

/** The RocketMQ dashboard ({@link Console#deployment}). */
public class ConsoleDependent extends PipelineChildDependent<Deployment> {
  public ConsoleDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment render(ReliableTxPipeline primary) {
    return Console.deployment(primary);
  }
}
