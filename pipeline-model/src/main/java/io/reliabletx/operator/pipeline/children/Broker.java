package io.reliabletx.operator.pipeline.children;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.acl.RocketMqAcl;
import io.reliabletx.operator.pipeline.brokerconf.BrokerConfig;
import io.reliabletx.operator.pipeline.spec.BrokerSpec;
import io.reliabletx.operator.pipeline.spec.Heap;
import io.reliabletx.operator.pipeline.wiring.ServiceEnv;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker group: each pod's broker.conf in a ConfigMap, a StatefulSet with each pod's store on a claim (pod 0 the
 * master, the others its slaves), a headless Service, a PodDisruptionBudget.
 */
public final class Broker {
  /** Where the broker writes besides its store: its logs and the JVM's temp files. */
  static final Map<String, String> SCRATCH = PodShape.scratch("logs", "/home/rocketmq/logs", "tmp", "/tmp");

  /** The env var holding brokerIP1, the broker pod's own DNS name (from the pipeline's name, never typed). */
  public static final String BROKER_HOST_ENV = "BROKER_HOST";
  /** The pod's name (its StatefulSet ordinal at the end), from the downward API. */
  public static final String POD_NAME_ENV = "POD_NAME";

  /**
   * With the ACL on, the broker reads its private broker.conf here: the ConfigMap's file for its ordinal plus the super
   * user from the credentials Secret, written by the pod's init container (the admin program's
   * {@code broker-config}, which escapes the Secret's values as Properties and JSON do) into the pod's own /tmp, with
   * mqadmin's tools.yml under {@code $ROCKETMQ_ADMIN_HOME} for {@code kubectl exec} with
   * {@code JAVA_OPT_EXT=-Drocketmq.home.dir=/tmp/rocketmq-admin}.
   */
  public static final String PRIVATE_CONFIG_FILE = "/tmp/rocketmq-conf/" + BrokerConfig.FILE_NAME;
  /** The admin program's sub-command of the init container. */
  public static final String PRIVATE_CONFIG_COMMAND = "broker-config";

  /**
   * The broker resolves brokerIP1, its own DNS name, once at start and stamps every stored message with it; started
   * before the name resolves (a restarted pod, its record not yet published) it stored nothing until restarted:
   * every send failed with "NullPointerException ... InetSocketAddress.getAddress()" (seen on the real node after a
   * broker pod was deleted). So it starts only once its name resolves. A constant script: the name comes from env.
   */
  private static final String WAIT_FOR_OWN_NAME = "until getent hosts \"$" + BROKER_HOST_ENV + "\" >/dev/null; do"
      + " echo \"waiting for $" + BROKER_HOST_ENV + " to resolve\"; sleep 1; done;";

  /** Pod 0 is the master and reads broker.conf; pod i (a slave) reads broker-i.conf (BrokerConfig.fileName). */
  public static final String START = WAIT_FOR_OWN_NAME
      + " ordinal=${" + POD_NAME_ENV + "##*-}; conf=" + BrokerConfig.FILE_NAME + ";"
      + " [ \"$ordinal\" = 0 ] || conf=broker-$ordinal.conf;"
      + " exec sh mqbroker -c " + BrokerConfig.MOUNT_DIR + "/$conf";

  /** With the ACL on: the private broker.conf the init container wrote for this pod. */
  public static final String START_WITH_ACL = WAIT_FOR_OWN_NAME + " exec sh mqbroker -c " + PRIVATE_CONFIG_FILE;

  /** One short-lived JVM that writes two files. */
  static final ResourceRequirements PRIVATE_CONFIG_RESOURCES = PodShape.resources("50m", 256);

  /** The name of the exporter's port on the broker's pods and Service (what a PodMonitor or ServiceMonitor scrapes). */
  public static final String METRICS_PORT_NAME = "metrics";

  private Broker() {}

  /** The rendered broker.conf of every pod of the group, by file name (the master's first). */
  public static ConfigMap config(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    return new ConfigMapBuilder()
        .withMetadata(Meta.of(names.brokerConfig(), names, Components.label(Components.BROKER)))
        .withData(files(primary, names))
        .build();
  }

  private static Map<String, String> files(ReliableTxPipeline primary, PipelineNames names) {
    Map<String, String> files = new LinkedHashMap<>();
    for (int ordinal = 0; ordinal < primary.getSpec().getBroker().getReplicas(); ordinal++) {
      files.put(BrokerConfig.fileName(ordinal), BrokerConfig.of(primary.getSpec(), names, ordinal).render());
    }
    return files;
  }

  /**
   * One disruption at a time: a group of several pods keeps all but one up through a drain (its master or a slave),
   * and a lone broker may still be evicted, so a node drain never hangs on it.
   */
  public static PodDisruptionBudget disruptionBudget(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    String component = Components.label(Components.BROKER);
    return new PodDisruptionBudgetBuilder()
        .withMetadata(Meta.of(names.broker(), names, component))
        .withNewSpec()
          .withMaxUnavailable(new IntOrString(1))
          .withNewSelector().withMatchLabels(names.selector(component)).endSelector()
        .endSpec()
        .build();
  }

  /** Headless: the announced address brokerIP1 resolves through it. */
  public static Service service(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    return Services.service(names.broker(), names, Components.label(Components.BROKER), true,
        ports(primary).stream().map(p -> Services.port(p.getName(), p.getContainerPort())).toList());
  }

  /**
   * A hash of every pod's broker.conf on the pod template rolls the group when its configuration changes. The
   * StatefulSet's rolling update replaces pods from the highest ordinal down, each once the one before is Ready: the
   * slaves first, the master (pod 0) last.
   */
  public static StatefulSet statefulSet(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    BrokerSpec spec = primary.getSpec().getBroker();
    String component = Components.label(Components.BROKER);
    return Workloads.withClaim(Workloads.statefulSet(names.broker(), names, component, spec.getReplicas(),
                pod(primary, names), spec),
            "store", spec.getStorage(), names, component)
        .editSpec()
          .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
          .editTemplate().editMetadata()
            .addToAnnotations(PipelineNames.CONFIG_HASH_ANNOTATION, BrokerConfig.hash(files(primary, names)))
          .endMetadata().endTemplate()
        .endSpec()
        .build();
  }

  /**
   * The broker's ports (its clients', the VIP channel's, the slaves' replication), and its Prometheus exporter's when
   * metrics are on: the same on its pods and its Service.
   */
  static List<ContainerPort> ports(ReliableTxPipeline primary) {
    List<ContainerPort> ports = new ArrayList<>(List.of(port("broker", PipelineNames.BROKER_PORT),
        port("broker-vip", PipelineNames.BROKER_VIP_PORT), port("broker-ha", PipelineNames.BROKER_HA_PORT)));
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

  /** Slaves away from their master and from each other where the nodes allow: preferred, so one node still runs all. */
  private static Affinity apart(PipelineNames names) {
    return new AffinityBuilder().withNewPodAntiAffinity()
        .addNewPreferredDuringSchedulingIgnoredDuringExecution()
          .withWeight(100)
          .withNewPodAffinityTerm()
            .withTopologyKey("kubernetes.io/hostname")
            .withNewLabelSelector().withMatchLabels(names.selector(Components.label(Components.BROKER))).endLabelSelector()
          .endPodAffinityTerm()
        .endPreferredDuringSchedulingIgnoredDuringExecution()
        .endPodAntiAffinity().build();
  }

  private static PodSpec pod(ReliableTxPipeline primary, PipelineNames names) {
    BrokerSpec spec = primary.getSpec().getBroker();
    return PodShape.pod(NameServer.ROCKETMQ_UID, SCRATCH, spec)
        // Time to flush the commit log and unregister from the name servers before SIGKILL.
        .withTerminationGracePeriodSeconds(60L)
        .withContainers(PodShape.container(new ContainerBuilder()
            .withName("broker")
            .withImage(spec.getImage())
            .withCommand("sh", "-c", RocketMqAcl.enabled(primary.getSpec()) ? START_WITH_ACL : START)
            .withEnv(
                podName(),
                ServiceEnv.plain(BROKER_HOST_ENV, "$(" + POD_NAME_ENV + ")." + names.broker() + "."
                    + names.namespace() + ".svc"),
                // mqadmin in the pod; the broker itself reads broker.conf's namesrvAddr.
                ServiceEnv.plain("NAMESRV_ADDR", names.nameServerDomain()),
                ServiceEnv.plain("JAVA_OPT_EXT", Heap.jvmOptions(spec.getHeapSize())))
            // The super user's password stays with the init container: the broker reads it from its private file.
            .addAllToEnv(ServiceEnv.rocketMqAdminHome(primary.getSpec()))
            .withPorts(ports(primary))
            .withVolumeMounts(
                configMount().build(),
                new VolumeMountBuilder().withName("store").withMountPath(BrokerConfig.STORE_DIR).build())
            .withStartupProbe(PodShape.startup(Meta.tcp(PipelineNames.BROKER_PORT), 600))
            .withReadinessProbe(Meta.tcp(PipelineNames.BROKER_PORT))
            .withLivenessProbe(Meta.tcp(PipelineNames.BROKER_PORT))
            // A shell as PID 1 (the upstream image) never passes SIGTERM on: stop the broker itself first.
            .withNewLifecycle().withNewPreStop().withNewExec().withCommand("sh", "mqshutdown", "broker")
              .endExec().endPreStop().endLifecycle(), SCRATCH, spec, resources(spec)))
        // The user's affinity when the template sets one, else the group's pods apart.
        .withAffinity(spec.getTemplate().getAffinity() != null ? spec.getTemplate().getAffinity() : apart(names))
        .withInitContainers(RocketMqAcl.enabled(primary.getSpec()) ? List.of(privateConfig(primary, names)) : List.of())
        .addToVolumes(new VolumeBuilder().withName("config")
            .withNewConfigMap().withName(names.brokerConfig()).endConfigMap().build())
        .build();
  }

  private static VolumeMountBuilder configMount() {
    return new VolumeMountBuilder().withName("config").withMountPath(BrokerConfig.MOUNT_DIR).withReadOnly(true);
  }

  private static EnvVar podName() {
    // apiVersion as the API server defaults it: without it the stored StatefulSet never matches the desired one and
    // every reconcile applied it again.
    return new EnvVarBuilder().withName(POD_NAME_ENV).withNewValueFrom().withNewFieldRef().withApiVersion("v1")
        .withFieldPath("metadata.name").endFieldRef().endValueFrom().build();
  }

  /** The init container that writes the pod's private broker.conf and tools.yml into its /tmp (ACL on). */
  private static Container privateConfig(ReliableTxPipeline primary, PipelineNames names) {
    BrokerSpec spec = primary.getSpec().getBroker();
    return PodShape.container(new ContainerBuilder()
        .withName("private-config")
        .withImage(primary.getSpec().getPipelineAdmin().getImage())
        .withArgs(PRIVATE_CONFIG_COMMAND)
        .withEnv(podName())
        .addAllToEnv(ServiceEnv.rocketMqAdmin(primary.getSpec(), names))
        .withVolumeMounts(configMount().build()), SCRATCH, spec, PRIVATE_CONFIG_RESOURCES);
  }
}
