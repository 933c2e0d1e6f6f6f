package io.reliabletx.operator.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a component's pods are placed and pulled, in the Strimzi style: each field, when set, goes into the pod template
 * as is. Extra labels and annotations are added to the operator's own, which win (a pod must keep the labels its
 * workload selects it by).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class PodTemplate {
  @JsonPropertyDescription("Extra labels of the pods; the operator's app.kubernetes.io/* labels win over these.")
  @Size(max = 64)
  @ValidationRule(value = "self.all(k, !k.startsWith('app.kubernetes.io/'))",
      message = "template.labels may not use the app.kubernetes.io/ prefix: the operator's own labels select"
          + " the pods",
      reason = "FieldValueForbidden")
  private Map<String, String> labels = new TreeMap<>();

  @JsonPropertyDescription("Extra annotations of the pods (e.g. for a service mesh or a log collector).")
  @Size(max = 64)
  private Map<String, String> annotations = new TreeMap<>();

  @JsonPropertyDescription("Pod nodeSelector.")
  @Size(max = 64)
  private Map<String, String> nodeSelector = new TreeMap<>();

  @JsonPropertyDescription("Pod tolerations.")
  private List<Toleration> tolerations = new ArrayList<>();

  @JsonPropertyDescription("Pod affinity (node affinity, pod affinity and anti-affinity).")
  private Affinity affinity;

  @JsonPropertyDescription("Pod topologySpreadConstraints.")
  private List<TopologySpreadConstraint> topologySpreadConstraints = new ArrayList<>();

  @JsonPropertyDescription("Pod priorityClassName.")
  @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
  private String priorityClassName;

  @JsonPropertyDescription("Secrets with the credentials of private image registries.")
  private List<LocalObjectReference> imagePullSecrets = new ArrayList<>();

  @JsonPropertyDescription("Container imagePullPolicy: Always, IfNotPresent or Never; Kubernetes' default when absent.")
  private ImagePullPolicy imagePullPolicy;

  public enum ImagePullPolicy { Always, IfNotPresent, Never }

  public Map<String, String> getLabels() { return labels; }
  public void setLabels(Map<String, String> v) { labels = v == null ? new TreeMap<>() : new TreeMap<>(v); }
  public Map<String, String> getAnnotations() { return annotations; }
  public void setAnnotations(Map<String, String> v) { annotations = v == null ? new TreeMap<>() : new TreeMap<>(v); }
  public Map<String, String> getNodeSelector() { return nodeSelector; }
  public void setNodeSelector(Map<String, String> v) { nodeSelector = v == null ? new TreeMap<>() : new TreeMap<>(v); }
  public List<Toleration> getTolerations() { return tolerations; }
  public void setTolerations(List<Toleration> v) { tolerations = v == null ? new ArrayList<>() : v; }
  public Affinity getAffinity() { return affinity; }
  public void setAffinity(Affinity v) { affinity = v; }
  public List<TopologySpreadConstraint> getTopologySpreadConstraints() { return topologySpreadConstraints; }
  public void setTopologySpreadConstraints(List<TopologySpreadConstraint> v) {
    topologySpreadConstraints = v == null ? new ArrayList<>() : v;
  }
  public String getPriorityClassName() { return priorityClassName; }
  public void setPriorityClassName(String v) { priorityClassName = v; }
  public List<LocalObjectReference> getImagePullSecrets() { return imagePullSecrets; }
  public void setImagePullSecrets(List<LocalObjectReference> v) { imagePullSecrets = v == null ? new ArrayList<>() : v; }
  public ImagePullPolicy getImagePullPolicy() { return imagePullPolicy; }
  public void setImagePullPolicy(ImagePullPolicy v) { imagePullPolicy = v; }
}
