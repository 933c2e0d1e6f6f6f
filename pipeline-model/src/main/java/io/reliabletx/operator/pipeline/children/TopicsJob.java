package io.reliabletx.operator.pipeline.children;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.spec.ReliableTxPipelineSpec;
import io.reliabletx.operator.pipeline.spec.TopicsJobSpec;
import io.reliabletx.operator.pipeline.wiring.ServiceEnv;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

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
      ensure_topic "$TRANSACTION_TOPIC" TRANSACTION
      ensure_topic "$RESULT_TOPIC" NORMAL
      """;

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
    return List.of(
        ServiceEnv.plain(NAMESRV_ADDR_ENV, names.nameServerAddress(spec)),
        ServiceEnv.plain(CLUSTER_ENV, spec.getBroker().getBrokerClusterName()),
        ServiceEnv.plain(TOPIC_ENV, spec.getOrder().getTopic()),
        ServiceEnv.plain(RESULT_TOPIC_ENV, spec.getOrder().getResultTopic()));
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
