package io.reliabletx.operator.pipeline.children;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.reliabletx.operator.pipeline.spec.PodSettings;
import io.reliabletx.operator.pipeline.spec.PodTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every pod of a pipeline shares, in one place: the "restricted" Pod Security Standard, no service-account token
 * (no child talks to the API server), a read-only root filesystem with an emptyDir at each path the image writes to,
 * and the probes' shapes. A startup probe holds back liveness until a slow first start (MySQL's initialisation, a
 * broker recovering a large commit log) is done, so liveness can stay strict. And what a component's spec says of its
 * pods ({@link PodSettings}): the pod template's fields and the container's resources, applied here for every pod.
 */
final class PodShape {
  private PodShape() {}

  /** Writable scratch directories of a container: volume name → mount path. */
  static Map<String, String> scratch(String... nameAndPath) {
    Map<String, String> dirs = new LinkedHashMap<>();
    for (int i = 0; i < nameAndPath.length; i += 2) {
      dirs.put(nameAndPath[i], nameAndPath[i + 1]);
    }
    return dirs;
  }

  /**
   * A pod spec with the pod-level settings and the placement the spec's template asks for, plus one emptyDir per
   * scratch directory of its (single) container.
   */
  static PodSpecBuilder pod(long uid, Map<String, String> scratch, PodSettings settings) {
    PodTemplate template = settings.getTemplate();
    PodSpecBuilder spec = new PodSpecBuilder().withSecurityContext(Meta.podSecurity(uid))
        .withAutomountServiceAccountToken(false)
        .withAffinity(template.getAffinity())
        .withPriorityClassName(template.getPriorityClassName());
    if (!template.getNodeSelector().isEmpty()) {
      spec.withNodeSelector(new LinkedHashMap<>(template.getNodeSelector()));
    }
    if (!template.getTolerations().isEmpty()) {
      spec.withTolerations(template.getTolerations());
    }
    if (!template.getTopologySpreadConstraints().isEmpty()) {
      spec.withTopologySpreadConstraints(template.getTopologySpreadConstraints());
    }
    if (!template.getImagePullSecrets().isEmpty()) {
      spec.withImagePullSecrets(template.getImagePullSecrets());
    }
    for (String volume : scratch.keySet()) {
      spec.addToVolumes(emptyDir(volume));
    }
    return spec;
  }

  /**
   * The container-level settings, the mounts of its scratch directories, the spec's pull policy and resources (the
   * component's {@code defaults} when the spec gives none).
   */
  static Container container(ContainerBuilder container, Map<String, String> scratch, PodSettings settings,
      ResourceRequirements defaults) {
    List<VolumeMount> mounts = new ArrayList<>();
    scratch.forEach((volume, path) -> mounts.add(new VolumeMountBuilder().withName(volume).withMountPath(path).build()));
    PodTemplate.ImagePullPolicy pull = settings.getTemplate().getImagePullPolicy();
    return container.addAllToVolumeMounts(mounts).withSecurityContext(Meta.containerSecurity())
        .withImagePullPolicy(pull == null ? null : pull.name())
        .withResources(settings.getResources() != null ? settings.getResources() : defaults)
        .build();
  }

  /** The pod template's metadata: the component's {@code labels}, then the spec's extra ones, and its annotations. */
  static ObjectMeta metadata(Map<String, String> labels, PodSettings settings) {
    Map<String, String> all = new LinkedHashMap<>(labels);
    settings.getTemplate().getLabels().forEach(all::putIfAbsent);
    ObjectMetaBuilder meta = new ObjectMetaBuilder().withLabels(all);
    if (!settings.getTemplate().getAnnotations().isEmpty()) {
      meta.withAnnotations(new LinkedHashMap<>(settings.getTemplate().getAnnotations()));
    }
    return meta.build();
  }

  /**
   * Default resources: {@code cpu} requested (no CPU limit: throttling a JVM stalls it), {@code memoryMi} MiB requested
   * and as the limit, so the scheduler reserves what the container may use.
   */
  static ResourceRequirements resources(String cpu, long memoryMi) {
    // In the API server's canonical form (1024Mi reads back as 1Gi), so that a re-applied object compares equal.
    Quantity memory = new Quantity(memoryMi % 1024 == 0 ? memoryMi / 1024 + "Gi" : memoryMi + "Mi");
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", memory)
        .addToLimits("memory", memory)
        .build();
  }

  static Volume emptyDir(String name) {
    return new VolumeBuilder().withName(name).withNewEmptyDir().endEmptyDir().build();
  }

  /** Up to {@code seconds} for the first start, checked every 5 s, before liveness takes over. */
  static Probe startup(Probe check, int seconds) {
    return new ProbeBuilder(check).withInitialDelaySeconds(null).withPeriodSeconds(5)
        .withFailureThreshold(Math.max(1, seconds / 5)).build();
  }
}
