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
  /** Where RocketMQ writes besides its store: its logs, the name server's kvConfig, the JVM's temp files. */
  static final java.util.Map<String, String> SCRATCH = PodShape.scratch("logs", "/home/rocketmq/logs",
      "namesrv-data", "/home/rocketmq/namesrv", "tmp", "/tmp");

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
            .withSpec(PodShape.pod(ROCKETMQ_UID, SCRATCH)
              .withTerminationGracePeriodSeconds(30L)
              .withContainers(PodShape.container(new ContainerBuilder()
                  .withName("namesrv")
                  .withImage(spec.getImage())
                  .withCommand("sh", "mqnamesrv")
                  .withEnv(ServiceEnv.plain("JAVA_OPT_EXT", Heap.jvmOptions(spec.getHeapSize())))
                  .addNewPort().withName("namesrv").withContainerPort(PipelineNames.NAMESRV_PORT).endPort()
                  .withStartupProbe(PodShape.startup(Meta.tcp(PipelineNames.NAMESRV_PORT), 120))
                  .withReadinessProbe(Meta.tcp(PipelineNames.NAMESRV_PORT))
                  .withLivenessProbe(Meta.tcp(PipelineNames.NAMESRV_PORT))
                  // A shell as PID 1 (the upstream image) never passes SIGTERM on: stop the JVM itself first.
                  .withNewLifecycle().withNewPreStop().withNewExec().withCommand("sh", "mqshutdown", "namesrv")
                    .endExec().endPreStop().endLifecycle(), SCRATCH))
              .build())
          .endTemplate()
        .endSpec()
        .build();
  }
}
