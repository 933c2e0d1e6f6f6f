package io.reliabletx.operator.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * What every component's pods take from the spec besides their own settings: the container's resources and the pod
 * template. Without {@code resources} the operator sets defaults sized for the component (for the JVMs, from the heap).
 */
public abstract class PodSettings {
  @JsonPropertyDescription("Container resources (requests and limits). Replaces the operator's defaults as a whole:"
      + " for the name server and the broker the memory request and limit are derived from heapSize when absent.")
  private ResourceRequirements resources;

  @JsonPropertyDescription("Pod template: extra labels and annotations, nodeSelector, tolerations, affinity,"
      + " topologySpreadConstraints, priorityClassName, imagePullSecrets, imagePullPolicy.")
  @Default("{}")
  private PodTemplate template = new PodTemplate();

  public ResourceRequirements getResources() { return resources; }
  public void setResources(ResourceRequirements v) { resources = v; }
  public PodTemplate getTemplate() { return template; }
  public void setTemplate(PodTemplate v) { template = v == null ? new PodTemplate() : v; }
}
