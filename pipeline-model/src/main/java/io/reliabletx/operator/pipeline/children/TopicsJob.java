package io.reliabletx.operator.pipeline.children;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.acl.RocketMqAcl;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.spec.ReliableTxPipelineSpec;
import io.reliabletx.operator.pipeline.spec.TopicsJobSpec;
import io.reliabletx.operator.pipeline.wiring.ServiceEnv;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The Job that creates the topics once the broker is ready, and checks that they exist: the transactional topic and
 * the result topic; with the ACL on, each service's RocketMQ user and policies on every broker of the group. It runs
 * reliable-tx's admin program ({@code pipeline-admin topics}, one JVM, RocketMQ's admin API), which reads every value,
 * passwords included, from env: nothing from the spec or the Secret is a command-line argument or shell syntax. Its
 * name carries a hash of its pod template, since a Job's template cannot be changed: a changed topic makes a new Job
 * (the operator deletes the superseded ones).
 */
public final class TopicsJob {
  /** The admin program's sub-command. */
  public static final String COMMAND = "topics";
  /** The env vars the admin program reads: every value that comes from the spec reaches it only through these. */
  public static final String NAMESRV_ADDR_ENV = "NAMESRV_ADDR";
  public static final String CLUSTER_ENV = "BROKER_CLUSTER";
  public static final String TOPIC_ENV = "TRANSACTION_TOPIC";
  public static final String RESULT_TOPIC_ENV = "RESULT_TOPIC";
  /** How long the program waits for the name server, the broker and its registration (seconds; default 300). */
  public static final String WAIT_SECONDS_ENV = "TOPICS_WAIT_SECONDS";
  /** With the ACL on: every broker of the group ({@code host:port}, blank-separated), and each service's user. */
  public static final String BROKER_ADDRESSES_ENV = "BROKER_ADDRESSES";
  public static final String ORDERS_USER_PREFIX = "ORDERS_ACL_";
  public static final String STOCK_USER_PREFIX = "STOCK_ACL_";
  /** A service's user: PREFIX + these (its name and password from the Secret; the ACL resources it may use). */
  public static final String USERNAME_SUFFIX = "USERNAME";
  public static final String PASSWORD_SUFFIX = "PASSWORD";
  public static final String PUBLISHES_SUFFIX = "PUBLISHES";
  public static final String SUBSCRIBES_SUFFIX = "SUBSCRIBES";

  /** One short-lived JVM with a small heap (half the limit, the image's flags) and the RocketMQ client. */
  static final ResourceRequirements RESOURCES = PodShape.resources("50m", 256);

  private TopicsJob() {}

  public static Job job(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    return new JobBuilder()
        .withMetadata(Meta.of(name(primary), names, Components.label(Components.TOPICS)))
        .withNewSpec()
          .withBackoffLimit(10)
          .withTemplate(podTemplate(primary))
        .endSpec()
        .build();
  }

  /** The name carries a hash of the whole pod template: a Job's template is immutable, so any change is a new Job. */
  public static String name(ReliableTxPipeline primary) {
    try {
      String s = Serialization.asJson(podTemplate(primary));
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return new PipelineNames(primary).topicsJobPrefix() + HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<EnvVar> env(ReliableTxPipelineSpec spec, PipelineNames names) {
    List<EnvVar> env = new ArrayList<>(List.of(
        ServiceEnv.plain(NAMESRV_ADDR_ENV, names.nameServerDomain()),
        ServiceEnv.plain(CLUSTER_ENV, spec.getBroker().getBrokerClusterName()),
        ServiceEnv.plain(TOPIC_ENV, spec.getOrder().getTopic()),
        ServiceEnv.plain(RESULT_TOPIC_ENV, spec.getOrder().getResultTopic())));
    if (RocketMqAcl.enabled(spec)) {
      env.addAll(ServiceEnv.rocketMqAdmin(spec, names));
      env.add(ServiceEnv.plain(BROKER_ADDRESSES_ENV, IntStream.range(0, spec.getBroker().getReplicas())
          .mapToObj(i -> names.brokerHost(i) + ":" + PipelineNames.BROKER_PORT).collect(Collectors.joining(" "))));
      env.addAll(userEnv(ORDERS_USER_PREFIX, RocketMqAcl.orders(spec), spec, names));
      env.addAll(userEnv(STOCK_USER_PREFIX, RocketMqAcl.stock(spec), spec, names));
    }
    return env;
  }

  /** A service's user as the program reads it: PREFIX_USERNAME, _PASSWORD (the Secret's), _PUBLISHES, _SUBSCRIBES. */
  private static List<EnvVar> userEnv(String prefix, RocketMqAcl.User user, ReliableTxPipelineSpec spec,
      PipelineNames names) {
    String secret = ServiceEnv.credentialsSecret(spec, names);
    return List.of(ServiceEnv.fromSecret(prefix + USERNAME_SUFFIX, secret, user.usernameKey()),
        ServiceEnv.fromSecret(prefix + PASSWORD_SUFFIX, secret, user.passwordKey()),
        ServiceEnv.plain(prefix + PUBLISHES_SUFFIX, String.join(",", user.publishes())),
        ServiceEnv.plain(prefix + SUBSCRIBES_SUFFIX, String.join(",", user.subscribes())));
  }

  static PodTemplateSpec podTemplate(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    ReliableTxPipelineSpec spec = primary.getSpec();
    String component = Components.label(Components.TOPICS);
    TopicsJobSpec settings = spec.getTopicsJob();
    return Workloads.template(names, component, PodShape.pod(NameServer.ROCKETMQ_UID, Broker.SCRATCH, settings)
          .withRestartPolicy("OnFailure")
          .withContainers(PodShape.container(new ContainerBuilder()
              .withName("create-topics")
              .withImage(spec.getPipelineAdmin().getImage())
              .withArgs(COMMAND)
              .withEnv(env(spec, names)), Broker.SCRATCH, settings, RESOURCES))
          .build(), settings);
  }
}
