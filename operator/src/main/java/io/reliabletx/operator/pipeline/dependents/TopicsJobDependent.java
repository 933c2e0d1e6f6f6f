package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.spec.ReliableTxPipelineSpec;
import io.reliabletx.operator.pipeline.wiring.ServiceEnv;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Creates the topics with mqadmin once the broker is ready: the transactional topic and the result topic. The Job's
 * name carries a hash of what it creates, since a Job's pod template cannot be changed.
 */
@KubernetesDependent(informer = @Informer(labelSelector = PipelineNames.SELECTOR))
public class TopicsJobDependent extends CRUDKubernetesDependentResource<Job, ReliableTxPipeline> {
  public TopicsJobDependent() {
    super(Job.class);
  }

  @Override
  protected Job desired(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    return build(primary);
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
            .withNewSpec()
              .withRestartPolicy("OnFailure")
              .withSecurityContext(Meta.podSecurity(NameServerDependent.ROCKETMQ_UID))
              .withContainers(new ContainerBuilder()
                  .withName("create-topics")
                  .withImage(spec.getBroker().getImage())
                  .withCommand("sh", "-c", script(spec))
                  .withEnv(ServiceEnv.plain("NAMESRV_ADDR", names.nameServerAddress(spec.getNameServer().getReplicas())))
                  .withSecurityContext(Meta.containerSecurity())
                  .build())
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }
}
