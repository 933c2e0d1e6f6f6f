package io.reliabletx.operator.pipeline.children;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.brokerconf.BrokerConfig;
import io.reliabletx.operator.pipeline.spec.BrokerSpec;
import io.reliabletx.operator.pipeline.spec.Heap;
import io.reliabletx.operator.pipeline.wiring.ServiceEnv;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The broker: broker.conf in a ConfigMap, a StatefulSet with the store on a claim, a headless Service. */
public final class Broker {
  /** Where the broker writes besides its store: its logs and the JVM's temp files. */
  static final Map<String, String> SCRATCH = PodShape.scratch("logs", "/home/rocketmq/logs", "tmp", "/tmp");

  /** The env var holding brokerIP1, the broker pod's own DNS name (from the pipeline's name, never typed). */
  public static final String BROKER_HOST_ENV = "BROKER_HOST";

  /**
   * The broker resolves brokerIP1, its own DNS name, once at start and stamps every stored message with it; started
   * before the name resolves (a restarted pod, its record not yet published) it stored nothing until restarted:
   * every send failed with "NullPointerException ... InetSocketAddress.getAddress()" (seen on the real node after a
   * broker pod was deleted). So it starts only once its name resolves. A constant script: the name comes from env.
   */
  public static final String START = "until getent hosts \"$" + BROKER_HOST_ENV + "\" >/dev/null; do"
      + " echo \"waiting for $" + BROKER_HOST_ENV + " to resolve\"; sleep 1; done; exec sh mqbroker -c "
      + BrokerConfig.MOUNT_DIR + "/" + BrokerConfig.FILE_NAME;

  /** The name of the exporter's port on the broker's pods and Service (what a PodMonitor or ServiceMonitor scrapes). */
  public static final String METRICS_PORT_NAME = "metrics";

  private Broker() {}

  /** The rendered broker.conf. */
  public static ConfigMap config(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    return new ConfigMapBuilder()
        .withMetadata(Meta.of(names.brokerConfig(), names, Components.label(Components.BROKER)))
        .withData(Map.of(BrokerConfig.FILE_NAME, BrokerConfig.of(primary.getSpec(), names).render()))
        .build();
  }

  /** Headless: the announced address brokerIP1 resolves through it. */
  public static Service service(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    return Services.service(names.broker(), names, Components.label(Components.BROKER), true,
        ports(primary).stream().map(p -> Services.port(p.getName(), p.getContainerPort())).toList());
  }

  /** A hash of broker.conf on the pod template rolls the broker when its configuration changes. */
  public static StatefulSet statefulSet(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    BrokerSpec spec = primary.getSpec().getBroker();
    BrokerConfig config = BrokerConfig.of(primary.getSpec(), names);
    String component = Components.label(Components.BROKER);
    return Workloads.withClaim(Workloads.statefulSet(names.broker(), names, component, 1, pod(primary, names), spec),
            "store", spec.getStorage(), names, component)
        .editSpec().editTemplate().editMetadata()
          .addToAnnotations(PipelineNames.CONFIG_HASH_ANNOTATION, config.hash())
        .endMetadata().endTemplate().endSpec()
        .build();
  }

  /** The broker's ports, and its Prometheus exporter's when metrics are on: the same on its pods and its Service. */
  static List<ContainerPort> ports(ReliableTxPipeline primary) {
    List<ContainerPort> ports = new ArrayList<>(List.of(port("broker", PipelineNames.BROKER_PORT),
        port("broker-vip", PipelineNames.BROKER_VIP_PORT)));
    if (primary.getSpec().getMetrics().isEnabled()) {
      ports.add(port(METRICS_PORT_NAME, PipelineNames.METRICS_PORT));
    }
    return ports;
  }

  private static ContainerPort port(String name, int port) {
    return new ContainerPortBuilder().withName(name).withContainerPort(port).build();
  }

  /**
   * The heap once more beside it (Netty's pooled direct buffers grow with the load) and 512 MiB for metaspace, threads
   * and the page tables of the mapped commit log; the mapped files' pages are page cache, charged to the container but
   * reclaimable. A 256m broker on the local real node used 278-307 MiB (kubelet working set) when started.
   */
  static ResourceRequirements resources(BrokerSpec spec) {
    return PodShape.resources("250m", 2 * Heap.mebibytes(spec.getHeapSize()) + 512);
  }

  private static PodSpec pod(ReliableTxPipeline primary, PipelineNames names) {
    BrokerSpec spec = primary.getSpec().getBroker();
    return PodShape.pod(NameServer.ROCKETMQ_UID, SCRATCH, spec)
        // Time to flush the commit log and unregister from the name servers before SIGKILL.
        .withTerminationGracePeriodSeconds(60L)
        .withContainers(PodShape.container(new ContainerBuilder()
            .withName("broker")
            .withImage(spec.getImage())
            .withCommand("sh", "-c", START)
            .withEnv(
                ServiceEnv.plain(BROKER_HOST_ENV, names.brokerHost()),
                ServiceEnv.plain("NAMESRV_ADDR", names.nameServerAddress(primary.getSpec())),
                ServiceEnv.plain("JAVA_OPT_EXT", Heap.jvmOptions(spec.getHeapSize())))
            .withPorts(ports(primary))
            .withVolumeMounts(
                new VolumeMountBuilder().withName("config").withMountPath(BrokerConfig.MOUNT_DIR).withReadOnly(true).build(),
                new VolumeMountBuilder().withName("store").withMountPath(BrokerConfig.STORE_DIR).build())
            .withStartupProbe(PodShape.startup(Meta.tcp(PipelineNames.BROKER_PORT), 600))
            .withReadinessProbe(Meta.tcp(PipelineNames.BROKER_PORT))
            .withLivenessProbe(Meta.tcp(PipelineNames.BROKER_PORT))
            // A shell as PID 1 (the upstream image) never passes SIGTERM on: stop the broker itself first.
            .withNewLifecycle().withNewPreStop().withNewExec().withCommand("sh", "mqshutdown", "broker")
              .endExec().endPreStop().endLifecycle(), SCRATCH, spec, resources(spec)))
        .addToVolumes(new VolumeBuilder().withName("config")
            .withNewConfigMap().withName(names.brokerConfig()).endConfigMap().build())
        .build();
  }
}
