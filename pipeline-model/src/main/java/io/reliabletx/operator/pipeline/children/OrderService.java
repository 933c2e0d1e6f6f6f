package io.reliabletx.operator.pipeline.children;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.spec.OrderServiceSpec;
import io.reliabletx.operator.pipeline.wiring.ServiceEnv;

/** The order service, wired through the env-var contract ({@link ServiceEnv#order}), and its ClusterIP Service. */
public final class OrderService {
  private OrderService() {}

  public static Deployment deployment(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    OrderServiceSpec spec = primary.getSpec().getOrder();
    return SampleDeployments.deployment(names.order(), names, Components.label(Components.ORDER),
        spec.getImage(), spec.getReplicas(), ServiceEnv.order(primary.getSpec(), names), spec);
  }

  public static Service service(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    return SampleDeployments.service(names.order(), names, Components.label(Components.ORDER));
  }
}
