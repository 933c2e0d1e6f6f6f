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
 * The Job that creates the topics with mqadmin once the broker is ready, and checks that they exist: the
 * transactional topic and the result topic. Its name carries a hash of its pod template, since a Job's template cannot
 * be changed: a changed topic makes a new Job (the operator deletes the superseded ones).
 */
public final class TopicsJob {
  /** The env vars the script reads: every value that comes from the spec reaches it only through these. */
  public static final String NAMESRV_ADDR_ENV = "NAMESRV_ADDR";
  public static final String CLUSTER_ENV = "BROKER_CLUSTER";
  public static final String TOPIC_ENV = "TRANSACTION_TOPIC";
  public static final String RESULT_TOPIC_ENV = "RESULT_TOPIC";
  /** With the ACL on: every broker of the group ({@code host:port}, blank-separated), and each service's user. */
  public static final String BROKER_ADDRESSES_ENV = "BROKER_ADDRESSES";
  public static final String ORDERS_USER_PREFIX = "ORDERS_ACL_";
  public static final String STOCK_USER_PREFIX = "STOCK_ACL_";

  /**
   * A constant script: it expands only quoted "$VARS" set from the spec, so no topic or cluster name is ever read as
   * shell syntax. mqadmin exits 0 even when a command failed, so success is read from what it prints: updateTopic
   * must report success, then topicRoute must show the topic's queues on the broker. The Job fails otherwise, so a
   * succeeded Job means the topics exist.
   */
  public static final String SCRIPT = """
      set -eu
      ensure_topic() {
        out=$(sh mqadmin updateTopic -n "$NAMESRV_ADDR" -c "$BROKER_CLUSTER" -t "$1" -a "+message.type=$2" 2>&1) || true
        printf '%s\n' "$out"
        case "$out" in
          *success*) ;;
          *) echo "updateTopic $1 did not succeed" >&2; return 1 ;;
        esac
        route=$(sh mqadmin topicRoute -n "$NAMESRV_ADDR" -t "$1" 2>&1) || true
        printf '%s\n' "$route"
        case "$route" in
          *readQueueNums*) echo "topic $1 exists" ;;
          *) echo "topic $1 has no route on the name server" >&2; return 1 ;;
        esac
      }
      if [ -n "${ROCKETMQ_ADMIN_PASSWORD:-}" ]; then
        # mqadmin signs in as the broker's super user: its tools.yml in a private home.
        umask 077
        @TOOLS_YML@
        export JAVA_OPT_EXT="${JAVA_OPT_EXT:-} -Drocketmq.home.dir=$ROCKETMQ_ADMIN_HOME"
      fi
      ensure_topic "$TRANSACTION_TOPIC" TRANSACTION
      ensure_topic "$RESULT_TOPIC" NORMAL
      # A user on one broker: created, or given the Secret's password when it exists (a rerun, a restored store).
      ensure_user() {
        out=$(sh mqadmin createUser -b "$1" -u "$2" -p "$3" 2>&1) || true
        case "$out" in
          *success*) echo "user $2 created on $1"; return 0 ;;
          *existed*) ;;
          *) printf '%s\\n' "$out" >&2; echo "createUser $2 on $1 did not succeed" >&2; return 1 ;;
        esac
        out=$(sh mqadmin updateUser -b "$1" -u "$2" -p "$3" 2>&1) || true
        case "$out" in
          *success*) echo "user $2 updated on $1" ;;
          *) printf '%s\\n' "$out" >&2; echo "updateUser $2 on $1 did not succeed" >&2; return 1 ;;
        esac
      }
      # A policy: user $2 may do actions $4 on resources $3 (Topic:x,Group:y) on broker $1; an existing one is merged.
      grant() {
        out=$(sh mqadmin createAcl -b "$1" -s "User:$2" -r "$3" -a "$4" -d Allow 2>&1) || true
        case "$out" in
          *success*) echo "user $2 may $4 on $3 at $1" ;;
          *) printf '%s\\n' "$out" >&2; echo "createAcl for $2 on $1 did not succeed" >&2; return 1 ;;
        esac
      }
      # A service's user on broker $1: name $2, password $3, publishing to $4, consuming $5.
      ensure_service_user() {
        ensure_user "$1" "$2" "$3"
        grant "$1" "$2" "$4" @PUBLISH@
        grant "$1" "$2" "$5" @SUBSCRIBE@
      }
      if [ -n "${ROCKETMQ_ADMIN_PASSWORD:-}" ]; then
        set -f # the addresses are split on blanks, never glob-expanded
        for addr in $BROKER_ADDRESSES; do
          ensure_service_user "$addr" "$ORDERS_ACL_USERNAME" "$ORDERS_ACL_PASSWORD" \
            "$ORDERS_ACL_PUBLISHES" "$ORDERS_ACL_SUBSCRIBES"
          ensure_service_user "$addr" "$STOCK_ACL_USERNAME" "$STOCK_ACL_PASSWORD" \
            "$STOCK_ACL_PUBLISHES" "$STOCK_ACL_SUBSCRIBES"
        done
      fi
      """.replace("@TOOLS_YML@", RocketMqAcl.TOOLS_YML_COMMAND).replace("@PUBLISH@", RocketMqAcl.PUBLISH_ACTIONS)
      .replace("@SUBSCRIBE@", RocketMqAcl.SUBSCRIBE_ACTIONS);

  /** mqadmin, a short-lived JVM: the upstream image's tools.sh gives it a 1 GiB heap, and 256 MiB beside it. */
  static final ResourceRequirements RESOURCES = PodShape.resources("50m", 1280);

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

  /** A service's user as the script reads it: PREFIX_USERNAME, _PASSWORD (the Secret's), _PUBLISHES, _SUBSCRIBES. */
  private static List<EnvVar> userEnv(String prefix, RocketMqAcl.User user, ReliableTxPipelineSpec spec,
      PipelineNames names) {
    String secret = ServiceEnv.credentialsSecret(spec, names);
    return List.of(ServiceEnv.fromSecret(prefix + "USERNAME", secret, user.usernameKey()),
        ServiceEnv.fromSecret(prefix + "PASSWORD", secret, user.passwordKey()),
        ServiceEnv.plain(prefix + "PUBLISHES", String.join(",", user.publishes())),
        ServiceEnv.plain(prefix + "SUBSCRIBES", String.join(",", user.subscribes())));
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
              .withImage(spec.getBroker().getImage())
              .withCommand("sh", "-c", SCRIPT)
              .withEnv(env(spec, names)), Broker.SCRATCH, settings, RESOURCES))
          .build(), settings);
  }
}
