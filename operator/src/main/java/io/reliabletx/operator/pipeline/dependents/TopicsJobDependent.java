package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.spec.ReliableTxPipelineSpec;
import io.reliabletx.operator.pipeline.wiring.ServiceEnv;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics with mqadmin once the broker is ready, and checks that they exist: the transactional topic and
 * the result topic. The Job's name carries a hash of its pod template, since a Job's template cannot be changed; so a
 * changed topic makes a new Job, and the superseded ones of the same pipeline are deleted (with their pods) rather
 * than left behind.
 */
@KubernetesDependent(informer = @Informer(labelSelector = PipelineNames.SELECTOR))
public class TopicsJobDependent extends PipelineChildDependent<Job> {
  private static final Logger LOG = LoggerFactory.getLogger(TopicsJobDependent.class);

  public TopicsJobDependent() {
    super(Job.class);
  }

  @Override
  protected Job desired(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    return build(primary);
  }

  @Override
  public ReconcileResult<Job> reconcile(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    ReconcileResult<Job> result = super.reconcile(primary, context);
    String current = jobName(primary);
    String prefix = new PipelineNames(primary).topicsJobPrefix();
    context.getSecondaryResourcesAsStream(Job.class)
        .filter(job -> job.getMetadata().getName().startsWith(prefix) && !job.getMetadata().getName().equals(current))
        .filter(job -> job.getMetadata().getDeletionTimestamp() == null)
        .forEach(stale -> {
          LOG.info("deleting superseded topics Job {}/{} (now {})", stale.getMetadata().getNamespace(),
              stale.getMetadata().getName(), current);
          context.getClient().resource(stale).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        });
    return result;
  }

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

  public static List<EnvVar> env(ReliableTxPipelineSpec spec, PipelineNames names) {
    return List.of(
        ServiceEnv.plain(NAMESRV_ADDR_ENV, names.nameServerAddress(spec.getNameServer().getReplicas())),
        ServiceEnv.plain(CLUSTER_ENV, spec.getBroker().getBrokerClusterName()),
        ServiceEnv.plain(TOPIC_ENV, spec.getOrder().getTopic()),
        ServiceEnv.plain(RESULT_TOPIC_ENV, spec.getOrder().getResultTopic()));
  }

  /** The name carries a hash of the whole pod template: a Job's template is immutable, so any change is a new Job. */
  public static String jobName(ReliableTxPipeline primary) {
    try {
      String s = Serialization.asJson(podTemplate(primary));
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return new PipelineNames(primary).topicsJobPrefix() + HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static PodTemplateSpec podTemplate(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    ReliableTxPipelineSpec spec = primary.getSpec();
    String component = Components.label(Components.TOPICS);
    return new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(names.labels(component)).endMetadata()
        .withSpec(PodShape.pod(NameServerDependent.ROCKETMQ_UID, BrokerDependent.SCRATCH)
          .withRestartPolicy("OnFailure")
          .withContainers(PodShape.container(new ContainerBuilder()
              .withName("create-topics")
              .withImage(spec.getBroker().getImage())
              .withCommand("sh", "-c", SCRIPT)
              .withEnv(env(spec, names)), BrokerDependent.SCRATCH))
          .build())
        .build();
  }

  public static Job build(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    return new JobBuilder()
        .withMetadata(Meta.of(jobName(primary), names, Components.label(Components.TOPICS)))
        .withNewSpec()
          .withBackoffLimit(10)
          .withTemplate(podTemplate(primary))
        .endSpec()
        .build();
  }
}
