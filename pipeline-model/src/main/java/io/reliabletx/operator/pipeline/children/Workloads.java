package io.reliabletx.operator.pipeline.children;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.spec.PodSettings;
import io.reliabletx.operator.pipeline.spec.StorageSpec;

/**
 * The StatefulSets and Deployments of a pipeline: named after their component, selecting its pods by the component's
 * labels, pods labelled so (plus the extra labels and annotations of the component's pod template). Each component adds what is its own (a volume claim, an annotation) to the builder.
 */
final class Workloads {
  private Workloads() {}

  /** Its pods get stable names through the headless Service of the same name. */
  static StatefulSetBuilder statefulSet(String name, PipelineNames names, String component, int replicas, PodSpec pod,
      PodSettings settings) {
    return new StatefulSetBuilder()
        .withMetadata(Meta.of(name, names, component))
        .withNewSpec()
          .withServiceName(name)
          .withReplicas(replicas)
          .withSelector(selector(names, component))
          .withTemplate(template(names, component, pod, settings))
        .endSpec();
  }

  /** A volume claim template {@code claim} per pod; kept or deleted with the pipeline as {@code storage} says. */
  static StatefulSetBuilder withClaim(StatefulSetBuilder statefulSet, String claim, StorageSpec storage,
      PipelineNames names, String component) {
    return statefulSet.editSpec()
        .withPersistentVolumeClaimRetentionPolicy(Storage.retention(storage))
        .withVolumeClaimTemplates(Storage.claim(claim, storage, names.selector(component)))
        .endSpec();
  }

  static DeploymentBuilder deployment(String name, PipelineNames names, String component, int replicas, PodSpec pod,
      PodSettings settings) {
    return new DeploymentBuilder()
        .withMetadata(Meta.of(name, names, component))
        .withNewSpec()
          .withReplicas(replicas)
          .withSelector(selector(names, component))
          .withTemplate(template(names, component, pod, settings))
        .endSpec();
  }

  private static LabelSelector selector(PipelineNames names, String component) {
    return new LabelSelectorBuilder().withMatchLabels(names.selector(component)).build();
  }

  static PodTemplateSpec template(PipelineNames names, String component, PodSpec pod, PodSettings settings) {
    return new PodTemplateSpecBuilder().withMetadata(PodShape.metadata(names.labels(component), settings))
        .withSpec(pod).build();
  }
}
