package io.reliabletx.operator.pipeline.children;

import io.fabric8.kubernetes.api.model.Container;
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
 * The RocketMQ dashboard, when enabled. With auth on, the pod's init container (the admin program's
 * {@code console-users}) reads the admin password from the credentials Secret through env and writes the dashboard's
 * users.properties into the pod's /tmp, escaped as Properties require; the password is never in the pod spec, a
 * command line or a shell.
 */
public final class Console {
  static final String DATA_DIR = "/tmp/rocketmq-console/data";
  public static final String USERS_FILE = DATA_DIR + "/users.properties";
  /** The dashboard's one user. */
  public static final String ADMIN_USER = "admin";
  /** The init container's env var holding the Secret's console password. */
  public static final String PASSWORD_ENV = "CONSOLE_ADMIN_PASSWORD";
  /** The admin program's sub-command of the init container. */
  public static final String USERS_COMMAND = "console-users";
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
        .withInitContainers(spec.getAuth().isEnabled() ? List.of(usersFile(primary, names)) : List.of())
        .build();
    return Workloads.deployment(names.console(), names, component, 1, pod, spec).build();
  }

  /** One short-lived JVM that writes one file. */
  static final ResourceRequirements USERS_FILE_RESOURCES = PodShape.resources("50m", 256);

  /** The init container that writes the dashboard's users.properties (auth on). */
  private static Container usersFile(ReliableTxPipeline primary, PipelineNames names) {
    return PodShape.container(new ContainerBuilder()
        .withName("users-file")
        .withImage(primary.getSpec().getPipelineAdmin().getImage())
        .withArgs(USERS_COMMAND)
        .withEnv(ServiceEnv.fromSecret(PASSWORD_ENV, ServiceEnv.credentialsSecret(primary.getSpec(), names),
            Credentials.CONSOLE_PASSWORD)), SCRATCH, primary.getSpec().getConsole(), USERS_FILE_RESOURCES);
  }
}
