package io.reliabletx.operator.pipeline.children;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.mysql.Credentials;
import io.reliabletx.operator.pipeline.mysql.MysqlInit;
import io.reliabletx.operator.pipeline.spec.MysqlSpec;
import io.reliabletx.operator.pipeline.wiring.ServiceEnv;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MySQL: the generated credentials Secret (unless the spec names one), the init scripts, a Service and a StatefulSet
 * that reads passwords only through secretKeyRef env vars.
 */
public final class Mysql {
  static final long MYSQL_UID = 999;
  /** Where the server writes besides its data directory: its socket and pid file, and temporary tables. */
  static final Map<String, String> SCRATCH = PodShape.scratch("run", "/var/run/mysqld", "tmp", "/tmp");
  /**
   * The server answers on TCP (the entrypoints' init server listens on the socket only, so this also waits for the
   * init to finish). Root's password reaches mysqladmin in its environment ({@code MYSQL_PWD}, which MySQL and
   * MariaDB clients read), never on a command line: {@code -p<password>} was in every probe's argv, which anyone on the
   * node can read in {@code /proc/<pid>/cmdline}; a process's environment is readable only by its own user and root,
   * like the server's, which holds the same variable. {@code ping} exits 0 whenever the server answers, even to refuse
   * the login, so the password only keeps the server's log free of "Access denied" lines (MariaDB 10.11 writes one
   * per refused login). MySQL deprecated {@code MYSQL_PWD} in 8.0 (WL#13449), 8.4 still reads it; should a client
   * stop, the probe still works. An option file would need the value escaped into its syntax. Nothing of the value is
   * in the pod spec either.
   */
  static final Probe PING = new ProbeBuilder()
      .withNewExec().withCommand("sh", "-c", "MYSQL_PWD=\"$MYSQL_ROOT_PASSWORD\" exec mysqladmin ping -h 127.0.0.1 -uroot --silent")
      .endExec()
      .withPeriodSeconds(10).withTimeoutSeconds(5).build();

  /**
   * MySQL 8.4's defaults: a 128 MiB buffer pool and up to 151 connections with their own buffers. The local MariaDB
   * image used 87 MiB (kubelet working set) in a started pipeline.
   */
  static final ResourceRequirements RESOURCES = PodShape.resources("100m", 1024);

  private Mysql() {}

  /** The credentials Secret is the operator's only when the user did not name an existing one. */
  public static boolean generatesCredentials(ReliableTxPipeline primary) {
    return Credentials.generated(primary.getSpec().getMysql());
  }

  /** Keeps what exists ({@code existing}, base64 as stored); generates only the keys that are missing. */
  public static Secret credentials(ReliableTxPipeline primary, Map<String, String> existing) {
    PipelineNames names = new PipelineNames(primary);
    Map<String, String> data = new LinkedHashMap<>(existing);
    Credentials.generate().forEach((k, v) -> data.computeIfAbsent(k,
        key -> Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder()
        .withMetadata(Meta.of(names.credentials(), names, Components.label(Components.MYSQL)))
        .withType("Opaque")
        .withData(data)
        .build();
  }

  /** The init scripts, built from the schema jar. */
  public static ConfigMap init(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    return new ConfigMapBuilder()
        .withMetadata(Meta.of(names.mysqlInit(), names, Components.label(Components.MYSQL)))
        .withData(MysqlInit.files())
        .build();
  }

  public static Service service(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    return Services.service(names.mysql(), names, Components.label(Components.MYSQL), false,
        List.of(Services.port("mysql", PipelineNames.MYSQL_PORT)));
  }

  public static StatefulSet statefulSet(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    MysqlSpec spec = primary.getSpec().getMysql();
    String component = Components.label(Components.MYSQL);
    return Workloads.withClaim(Workloads.statefulSet(names.mysql(), names, component, 1, pod(primary, names), spec),
            "data", spec.getStorage(), names, component)
        .build();
  }

  private static PodSpec pod(ReliableTxPipeline primary, PipelineNames names) {
    MysqlSpec spec = primary.getSpec().getMysql();
    String secret = ServiceEnv.credentialsSecret(primary.getSpec(), names);
    return PodShape.pod(MYSQL_UID, SCRATCH, spec)
        // Time for InnoDB to shut down cleanly (no crash recovery on the next start).
        .withTerminationGracePeriodSeconds(60L)
        .withContainers(PodShape.container(new ContainerBuilder()
            .withName("mysql")
            .withImage(spec.getImage())
            .withEnv(
                ServiceEnv.fromSecret("MYSQL_ROOT_PASSWORD", secret, Credentials.ROOT_PASSWORD),
                ServiceEnv.fromSecret(MysqlInit.ORDERS_USERNAME_ENV, secret, Credentials.ORDERS_USERNAME),
                ServiceEnv.fromSecret(MysqlInit.ORDERS_PASSWORD_ENV, secret, Credentials.ORDERS_PASSWORD),
                ServiceEnv.fromSecret(MysqlInit.STOCK_USERNAME_ENV, secret, Credentials.STOCK_USERNAME),
                ServiceEnv.fromSecret(MysqlInit.STOCK_PASSWORD_ENV, secret, Credentials.STOCK_PASSWORD))
            .addNewPort().withName("mysql").withContainerPort(PipelineNames.MYSQL_PORT).endPort()
            .withVolumeMounts(
                new VolumeMountBuilder().withName("data").withMountPath("/var/lib/mysql").build(),
                new VolumeMountBuilder().withName("init").withMountPath("/docker-entrypoint-initdb.d").withReadOnly(true).build())
            // The first start initialises the data directory and runs the init scripts: minutes on a slow disk.
            .withStartupProbe(PodShape.startup(PING, 600))
            .withReadinessProbe(PING)
            .withLivenessProbe(Meta.tcp(PipelineNames.MYSQL_PORT)), SCRATCH, spec, RESOURCES))
        .addToVolumes(new VolumeBuilder().withName("init")
            .withNewConfigMap().withName(names.mysqlInit()).endConfigMap().build())
        .build();
  }
}
