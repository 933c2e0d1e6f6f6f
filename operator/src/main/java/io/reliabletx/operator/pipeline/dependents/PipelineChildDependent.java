package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import java.util.List;

/**
 * A child of a pipeline. Its owner reference names the pipeline as its managing controller ({@code controller: true},
 * which {@code kubectl describe} shows as "Controlled By" and which stops another controller from adopting it) and
 * blocks the pipeline's foreground deletion until the child is gone. JOSDK's default reference carries neither.
 */
public abstract class PipelineChildDependent<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, ReliableTxPipeline> {

  protected PipelineChildDependent(Class<R> resourceType) {
    super(resourceType);
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
