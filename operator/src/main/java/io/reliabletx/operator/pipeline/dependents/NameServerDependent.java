package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.spec.Heap;
import io.reliabletx.operator.pipeline.spec.NameServerSpec;
import io.reliabletx.operator.pipeline.wiring.ServiceEnv;

/** The NameServer StatefulSet: stable pod names, so the broker and clients can list every NameServer. */
@KubernetesDependent(informer = @Informer(labelSelector = PipelineNames.SELECTOR))
public class NameServerDependent extends PipelineChildDependent<StatefulSet> {
  public static final long ROCKETMQ_UID = 3000;

  public NameServerDependent() {
    super(StatefulSet.class);
  }

  @Override
  protected StatefulSet desired(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    return build(primary);
  }

  public static StatefulSet build(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    NameServerSpec spec = primary.getSpec().getNameServer();
    String component = Components.label(Components.NAME_SERVER);
    return new StatefulSetBuilder()
        .withMetadata(Meta.of(names.nameServer(), names, component))
        .withNewSpec()
          .withServiceName(names.nameServer())
          .withReplicas(spec.getReplicas())
          .withPodManagementPolicy("Parallel")
          .withNewSelector().withMatchLabels(names.selector(component)).endSelector()
          .withNewTemplate()
            .withNewMetadata().withLabels(names.labels(component)).endMetadata()
            .withNewSpec()
              .withSecurityContext(Meta.podSecurity(ROCKETMQ_UID))
              .withContainers(new ContainerBuilder()
                  .withName("namesrv")
                  .withImage(spec.getImage())
                  .withCommand("sh", "mqnamesrv")
                  .withEnv(ServiceEnv.plain("JAVA_OPT_EXT", Heap.jvmOptions(spec.getHeapSize())))
                  .addNewPort().withName("namesrv").withContainerPort(PipelineNames.NAMESRV_PORT).endPort()
                  .withReadinessProbe(Meta.tcp(PipelineNames.NAMESRV_PORT, 5))
                  .withLivenessProbe(Meta.tcp(PipelineNames.NAMESRV_PORT, 30))
                  .withSecurityContext(Meta.containerSecurity())
                  .build())
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }
}
