package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.TopicsJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics Job ({@link TopicsJob#job}). A changed pod template makes a Job of another name, so the superseded Jobs of
 * the same pipeline are deleted (with their pods) rather than left behind.
 */
// Status updates that change nothing the pipeline reads start no reconcile (ChildChangeFilter).
@KubernetesDependent(informer = @Informer(labelSelector = PipelineNames.SELECTOR, onUpdateFilter = ChildChangeFilter.class))
public class TopicsJobDependent extends PipelineChildDependent<Job> {
  private static final Logger LOG = LoggerFactory.getLogger(TopicsJobDependent.class);

  public TopicsJobDependent() {
    super(Job.class);
  }

  @Override
  protected Job render(ReliableTxPipeline primary) {
    return TopicsJob.job(primary);
  }

  /** The name of the Job {@code primary} wants now (without rendering it again while the pipeline is unchanged). */
  public String currentName(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    return targetSecondaryResourceID(primary, context).getName();
  }

  @Override
  public ReconcileResult<Job> reconcile(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    ReconcileResult<Job> result = super.reconcile(primary, context);
    String current = currentName(primary, context);
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
}
