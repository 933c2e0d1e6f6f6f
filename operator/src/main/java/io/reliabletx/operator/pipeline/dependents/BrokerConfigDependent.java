package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.Broker;

/** ConfigMap holding the rendered broker.conf ({@link Broker#config}). */
@KubernetesDependent(informer = @Informer(labelSelector = PipelineNames.SELECTOR))
public class BrokerConfigDependent extends PipelineChildDependent<ConfigMap> {
  public BrokerConfigDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap render(ReliableTxPipeline primary) {
    return Broker.config(primary);
  }
}
