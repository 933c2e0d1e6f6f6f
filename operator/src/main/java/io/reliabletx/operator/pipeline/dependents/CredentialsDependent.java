package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.Mysql;
import java.util.List;
import java.util.Map;

/**
 * The generated credentials Secret: random values created once and never regenerated while the Secret exists. It lives
 * as long as MySQL's data: with the data volume retained (the default) it has no owner reference, so deleting the
 * pipeline keeps it and a pipeline re-created under the same name reuses it (the retained data directory only accepts
 * these passwords). It is therefore neither garbage collected nor a Deleter: the operator never deletes it. JOSDK maps
 * it back to its pipeline by its primary-name annotations.
 */
@KubernetesDependent(informer = @Informer(labelSelector = PipelineNames.SELECTOR))
public class CredentialsDependent extends KubernetesDependentResource<Secret, ReliableTxPipeline>
    implements Creator<Secret, ReliableTxPipeline>, Updater<Secret, ReliableTxPipeline> {
  public CredentialsDependent() {
    super(Secret.class);
  }

  /** By name, without computing the desired Secret (which itself reads the existing one). */
  @Override
  protected ResourceID targetSecondaryResourceID(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    return new ResourceID(new PipelineNames(primary).credentials(), primary.getMetadata().getNamespace());
  }

  @Override
  protected Secret desired(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    return Mysql.credentials(primary, getSecondaryResource(primary, context).map(Secret::getData).orElse(Map.of()));
  }

  @Override
  protected void addReferenceHandlingMetadata(Secret desired, ReliableTxPipeline primary) {
    super.addReferenceHandlingMetadata(desired, primary);
    if (!primary.getSpec().getMysql().getStorage().isRetainOnDelete()) {
      desired.getMetadata().setOwnerReferences(List.of(PipelineChildDependent.controllerReference(primary)));
    }
  }
}
