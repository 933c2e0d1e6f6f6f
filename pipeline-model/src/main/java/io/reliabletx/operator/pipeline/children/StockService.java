package io.reliabletx.operator.pipeline.children;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.spec.StockServiceSpec;
import io.reliabletx.operator.pipeline.wiring.ServiceEnv;

/** The stock service, wired through the env-var contract ({@link ServiceEnv#stock}), and its ClusterIP Service. */
public final class StockService {
  private StockService() {}

  public static Deployment deployment(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    StockServiceSpec spec = primary.getSpec().getStock();
    return SampleDeployments.deployment(names.stock(), names, Components.label(Components.STOCK),
        spec.getImage(), spec.getReplicas(), ServiceEnv.stock(primary.getSpec(), names), spec);
  }

  public static Service service(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    return SampleDeployments.service(names.stock(), names, Components.label(Components.STOCK));
  }
}
