package io.reliabletx.operator.pipeline.children;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.spec.Heap;
import io.reliabletx.operator.pipeline.spec.NameServerSpec;
import io.reliabletx.operator.pipeline.wiring.ServiceEnv;
import java.util.List;
import java.util.Map;

/** The NameServer: a StatefulSet for stable pod names, so the broker and clients can list every NameServer. */
public final class NameServer {
  /** The uid of RocketMQ's images (name server, broker, the topics Job). */
  static final long ROCKETMQ_UID = 3000;
  /** Where RocketMQ writes besides its store: its logs, the name server's kvConfig, the JVM's temp files. */
  static final Map<String, String> SCRATCH = PodShape.scratch("logs", "/home/rocketmq/logs",
      "namesrv-data", "/home/rocketmq/namesrv", "tmp", "/tmp");

  /** Beside the heap: metaspace, thread stacks, Netty's direct buffers (a 128m name server used 192 MiB in all). */
  static final long JVM_OVERHEAD_MI = 256;

  private NameServer() {}

  /** Headless: each pod gets the DNS name {@link PipelineNames#nameServerAddress} lists. */
  public static Service service(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    return Services.service(names.nameServer(), names, Components.label(Components.NAME_SERVER), true,
        List.of(Services.port("namesrv", PipelineNames.NAMESRV_PORT)));
  }

  public static StatefulSet statefulSet(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    NameServerSpec spec = primary.getSpec().getNameServer();
    String component = Components.label(Components.NAME_SERVER);
    // Parallel: every name server starts at once; none waits for another.
    return Workloads.statefulSet(names.nameServer(), names, component, spec.getReplicas(), pod(spec), spec)
        .editSpec().withPodManagementPolicy("Parallel").endSpec()
        .build();
  }

  private static PodSpec pod(NameServerSpec spec) {
    return PodShape.pod(ROCKETMQ_UID, SCRATCH, spec)
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
              .endExec().endPreStop().endLifecycle(), SCRATCH, spec,
            PodShape.resources("100m", Heap.mebibytes(spec.getHeapSize()) + JVM_OVERHEAD_MI)))
        .build();
  }
}
