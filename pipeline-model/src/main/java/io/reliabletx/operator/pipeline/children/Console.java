package io.reliabletx.operator.pipeline.children;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.mysql.Credentials;
import io.reliabletx.operator.pipeline.spec.ConsoleSpec;
import io.reliabletx.operator.pipeline.wiring.ServiceEnv;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The RocketMQ dashboard, when enabled. With auth on, the admin password comes from the credentials Secret through an
 * env var and a start command writes the dashboard's users.properties; it is never in the pod spec.
 */
public final class Console {
  static final String DATA_DIR = "/tmp/rocketmq-console/data";
  /** Any non-root uid: the dashboard reads its jar and writes only under /tmp (its data dir included). */
  static final long CONSOLE_UID = 1000;
  static final Map<String, String> SCRATCH = PodShape.scratch("tmp", "/tmp");

  /** A Spring Boot JVM sizing its heap by default at a quarter of the limit. */
  static final ResourceRequirements RESOURCES = PodShape.resources("100m", 768);

  private Console() {}

  public static boolean enabled(ReliableTxPipeline primary) {
    return primary.getSpec().getConsole().isEnabled();
  }

  public static Service service(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    return Services.service(names.console(), names, Components.label(Components.CONSOLE), false,
        List.of(Services.port("http", PipelineNames.HTTP_PORT)));
  }

  public static Deployment deployment(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    ConsoleSpec spec = primary.getSpec().getConsole();
    String component = Components.label(Components.CONSOLE);
    String javaOpts = "-Drocketmq.namesrv.addr=" + names.nameServerDomain()
        + " -Dcom.rocketmq.sendMessageWithVIPChannel=false";
    List<EnvVar> env = new ArrayList<>();
    ContainerBuilder container = new ContainerBuilder().withName("console").withImage(spec.getImage());
    if (spec.getAuth().isEnabled()) {
      javaOpts += " -Drocketmq.config.loginRequired=true -Drocketmq.config.dataPath=" + DATA_DIR;
      env.add(ServiceEnv.fromSecret("CONSOLE_ADMIN_PASSWORD", ServiceEnv.credentialsSecret(primary.getSpec(), names),
          Credentials.CONSOLE_PASSWORD));
      container.withCommand("sh", "-c", "mkdir -p " + DATA_DIR + " && printf 'admin=%s,1\\n' \"$CONSOLE_ADMIN_PASSWORD\" > "
          + DATA_DIR + "/users.properties && exec java $JAVA_OPTS -jar /rocketmq-dashboard.jar");
    }
    env.add(0, ServiceEnv.plain("JAVA_OPTS", javaOpts));
    env.addAll(ServiceEnv.consoleRocketMqUser(primary.getSpec(), names));
    PodSpec pod = PodShape.pod(CONSOLE_UID, SCRATCH, spec)
        .withContainers(PodShape.container(container
            .withEnv(env)
            .addNewPort().withName("http").withContainerPort(PipelineNames.HTTP_PORT).endPort()
            .withStartupProbe(PodShape.startup(Meta.tcp(PipelineNames.HTTP_PORT), 300))
            .withReadinessProbe(Meta.tcp(PipelineNames.HTTP_PORT))
            .withLivenessProbe(Meta.tcp(PipelineNames.HTTP_PORT)), SCRATCH, spec, RESOURCES))
        .build();
    return Workloads.deployment(names.console(), names, component, 1, pod, spec).build();
  }
}
