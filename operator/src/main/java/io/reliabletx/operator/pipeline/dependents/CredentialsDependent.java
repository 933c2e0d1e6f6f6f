package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.mysql.Credentials;
import java.util.LinkedHashMap;
import java.util.Map;

/** The generated credentials Secret: random values created once and kept for the life of the pipeline. */
@KubernetesDependent(informer = @Informer(labelSelector = PipelineNames.SELECTOR))
public class CredentialsDependent extends PipelineChildDependent<Secret> {
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
    PipelineNames names = new PipelineNames(primary);
    Map<String, String> data = new LinkedHashMap<>();
    // Keep what exists (base64 as stored); generate only the keys that are missing.
    getSecondaryResource(primary, context).map(Secret::getData).ifPresent(data::putAll);
    Credentials.generate().forEach((k, v) -> data.computeIfAbsent(k, key -> base64(v)));
    return new SecretBuilder()
        .withMetadata(Meta.of(names.credentials(), names, Components.label(Components.MYSQL)))
        .withType("Opaque")
        .withData(data)
        .build();
  }

  private static String base64(String value) {
    return java.util.Base64.getEncoder().encodeToString(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
