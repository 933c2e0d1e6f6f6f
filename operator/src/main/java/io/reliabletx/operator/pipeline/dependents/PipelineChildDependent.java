package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child of a pipeline. Its owner reference names the pipeline as its managing controller ({@code controller: true},
 * which {@code kubectl describe} shows as "Controlled By" and which stops another controller from adopting it) and
 * blocks the pipeline's foreground deletion until the child is gone. JOSDK's default reference carries neither.
 *
 * <p>A child is created with JOSDK's create-only server-side apply ({@code resourceVersion: "1"}), which the API
 * server refuses with 409 when the object exists. It does exist when this operator created it and the reconcile did not
 * know: the answer to the create was lost (the client retried a timed-out request that the API server had carried
 * out) or the object is missing from the informer (created without the label it selects on). A 409 on create is then
 * taken as "exists": the object is read, and when this pipeline controls it, it is what the reconcile goes on with
 * (applied again only if it is not what is wanted), instead of an error that marks the pipeline Failed and is retried
 * with backoff.
 */
public abstract class PipelineChildDependent<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, ReliableTxPipeline> {

  protected PipelineChildDependent(Class<R> resourceType) {
    super(resourceType);
  }

  private static final Logger LOG = LoggerFactory.getLogger(PipelineChildDependent.class);

  @Override
  public R create(R desired, ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    try {
      return super.create(desired, primary, context);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      desired.getMetadata().setResourceVersion(null);
      R existing = controlledBy(context.getClient().resource(desired).get(), primary);
      if (existing == null) {
        throw e;
      }
      LOG.debug("{} {}/{} exists already (create answered 409): taken as created", existing.getKind(),
          existing.getMetadata().getNamespace(), existing.getMetadata().getName());
      return match(existing, desired, primary, context).matched() ? existing : update(existing, desired, primary, context);
    }
  }

  /** {@code existing} if {@code primary} is its controller and it is not being deleted, else null. */
  static <T extends HasMetadata> T controlledBy(T existing, ReliableTxPipeline primary) {
    if (existing == null || existing.getMetadata().getDeletionTimestamp() != null) {
      return null;
    }
    boolean controlled = existing.getMetadata().getOwnerReferences().stream().anyMatch(r ->
        Boolean.TRUE.equals(r.getController()) && Objects.equals(r.getUid(), primary.getMetadata().getUid()));
    return controlled ? existing : null;
  }

  @Override
  protected void addReferenceHandlingMetadata(R desired, ReliableTxPipeline primary) {
    desired.getMetadata().setOwnerReferences(List.of(controllerReference(primary)));
  }

  static OwnerReference controllerReference(ReliableTxPipeline primary) {
    return new OwnerReferenceBuilder()
        .withApiVersion(primary.getApiVersion())
        .withKind(primary.getKind())
        .withName(primary.getMetadata().getName())
        .withUid(primary.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
