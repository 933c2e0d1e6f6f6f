package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.brokerconf.BrokerConfig;
import java.util.Map;

/** ConfigMap holding the rendered broker.conf. */
@KubernetesDependent(informer = @Informer(labelSelector = PipelineNames.SELECTOR))
public class BrokerConfigDependent extends PipelineChildDependent<ConfigMap> {
  public BrokerConfigDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    PipelineNames names = new PipelineNames(primary);
    BrokerConfig config = BrokerConfig.of(primary.getSpec(), names);
    return new ConfigMapBuilder()
        .withMetadata(Meta.of(names.brokerConfig(), names, Components.label(Components.BROKER)))
        .withData(Map.of(BrokerConfig.FILE_NAME, config.render()))
        .build();
  }
}
