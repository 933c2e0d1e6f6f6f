package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.mysql.Credentials;
import io.reliabletx.operator.pipeline.mysql.MysqlInit;
import io.reliabletx.operator.pipeline.spec.MysqlSpec;
import io.reliabletx.operator.pipeline.wiring.ServiceEnv;

/** MySQL StatefulSet: passwords only through secretKeyRef env vars, init scripts from the init ConfigMap. */
public class MysqlDependent extends PipelineChildDependent<StatefulSet> {
  static final long MYSQL_UID = 999;
  /** Where the server writes besides its data directory: its socket and pid file, and temporary tables. */
  static final java.util.Map<String, String> SCRATCH = PodShape.scratch("run", "/var/run/mysqld", "tmp", "/tmp");
  /** The password is read from the env inside the container, never written into the pod spec. */
  static final io.fabric8.kubernetes.api.model.Probe PING = new ProbeBuilder()
      .withNewExec().withCommand("sh", "-c", "mysqladmin ping -h 127.0.0.1 -uroot -p\"$MYSQL_ROOT_PASSWORD\" --silent").endExec()
      .withPeriodSeconds(10).withTimeoutSeconds(5).build();

  public MysqlDependent() {
    super(StatefulSet.class);
  }

  @Override
  protected StatefulSet desired(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    PipelineNames names = new PipelineNames(primary);
    MysqlSpec spec = primary.getSpec().getMysql();
    String secret = ServiceEnv.credentialsSecret(primary.getSpec(), names);
    String component = Components.label(Components.MYSQL);
    return new StatefulSetBuilder()
        .withMetadata(Meta.of(names.mysql(), names, component))
        .withNewSpec()
          .withServiceName(names.mysql())
          .withReplicas(1)
          .withNewSelector().withMatchLabels(names.selector(component)).endSelector()
          .withPersistentVolumeClaimRetentionPolicy(Storage.retention(spec.getStorage()))
          .withVolumeClaimTemplates(Storage.claim("data", spec.getStorage(), names.selector(component)))
          .withNewTemplate()
            .withNewMetadata().withLabels(names.labels(component)).endMetadata()
            .withSpec(PodShape.pod(MYSQL_UID, SCRATCH)
              // Time for InnoDB to shut down cleanly (no crash recovery on the next start).
              .withTerminationGracePeriodSeconds(60L)
              .withContainers(PodShape.container(new ContainerBuilder()
                  .withName("mysql")
                  .withImage(spec.getImage())
                  .withEnv(
                      ServiceEnv.fromSecret("MYSQL_ROOT_PASSWORD", secret, Credentials.ROOT_PASSWORD),
                      ServiceEnv.fromSecret(MysqlInit.ORDERS_PASSWORD_ENV, secret, Credentials.ORDERS_PASSWORD),
                      ServiceEnv.fromSecret(MysqlInit.STOCK_PASSWORD_ENV, secret, Credentials.STOCK_PASSWORD))
                  .addNewPort().withName("mysql").withContainerPort(PipelineNames.MYSQL_PORT).endPort()
                  .withVolumeMounts(
                      new VolumeMountBuilder().withName("data").withMountPath("/var/lib/mysql").build(),
                      new VolumeMountBuilder().withName("init").withMountPath("/docker-entrypoint-initdb.d").withReadOnly(true).build())
                  // The first start initialises the data directory and runs the init scripts: minutes on a slow disk.
                  .withStartupProbe(PodShape.startup(PING, 600))
                  .withReadinessProbe(PING)
                  .withLivenessProbe(Meta.tcp(PipelineNames.MYSQL_PORT))
                  , SCRATCH))
              .addToVolumes(new VolumeBuilder().withName("init")
                  .withNewConfigMap().withName(names.mysqlInit()).endConfigMap().build())
              .build())
          .endTemplate()
        .endSpec()
        .build();
  }
}
