package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics with mqadmin once the broker is ready: the transactional topic and the result topic. The Job's
 * name carries a hash of what it creates, since a Job's pod template cannot be changed; so a changed topic makes a
 * new Job, and the superseded ones of the same pipeline are deleted (with their pods) rather than left behind.
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

  public static String script(ReliableTxPipelineSpec spec) {
    String cluster = spec.getBroker().getBrokerClusterName();
    return "set -e\n"
        + "sh mqadmin updateTopic -n \"$NAMESRV_ADDR\" -c " + cluster + " -t " + spec.getOrder().getTopic()
        + " -a +message.type=TRANSACTION\n"
        + "sh mqadmin updateTopic -n \"$NAMESRV_ADDR\" -c " + cluster + " -t " + spec.getOrder().getResultTopic()
        + " -a +message.type=NORMAL\n";
  }

  public static String jobName(ReliableTxPipeline primary) {
    try {
      String s = script(primary.getSpec()) + primary.getSpec().getBroker().getImage();
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return new PipelineNames(primary).topicsJobPrefix() + HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Job build(ReliableTxPipeline primary) {
    PipelineNames names = new PipelineNames(primary);
    ReliableTxPipelineSpec spec = primary.getSpec();
    String component = Components.label(Components.TOPICS);
    return new JobBuilder()
        .withMetadata(Meta.of(jobName(primary), names, component))
        .withNewSpec()
          .withBackoffLimit(10)
          .withNewTemplate()
            .withNewMetadata().withLabels(names.labels(component)).endMetadata()
            .withSpec(PodShape.pod(new PodSpecBuilder(), NameServerDependent.ROCKETMQ_UID, BrokerDependent.SCRATCH)
              .withRestartPolicy("OnFailure")
              .withContainers(PodShape.container(new ContainerBuilder()
                  .withName("create-topics")
                  .withImage(spec.getBroker().getImage())
                  .withCommand("sh", "-c", script(spec))
                  .withEnv(ServiceEnv.plain("NAMESRV_ADDR", names.nameServerAddress(spec.getNameServer().getReplicas()))),
                  BrokerDependent.SCRATCH))
              .build())
          .endTemplate()
        .endSpec()
        .build();
  }
}
