package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.NameServer;

/** Headless Service of the NameServer pods ({@link NameServer#service}). */
@KubernetesDependent(informer = @Informer(labelSelector = PipelineNames.SELECTOR))
public class NameServerServiceDependent extends PipelineChildDependent<Service> {
  public NameServerServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service render(ReliableTxPipeline primary) {
    return NameServer.service(primary);
  }
}
