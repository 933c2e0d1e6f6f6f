package io.reliabletx.operator.pipeline.children;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every pod of a pipeline shares, in one place: the "restricted" Pod Security Standard, no service-account token
 * (no child talks to the API server), a read-only root filesystem with an emptyDir at each path the image writes to,
 * and the probes' shapes. A startup probe holds back liveness until a slow first start (MySQL's initialisation, a
 * broker recovering a large commit log) is done, so liveness can stay strict.
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

  /** A pod spec with the pod-level settings, plus one emptyDir per scratch directory of its (single) container. */
  static PodSpecBuilder pod(long uid, Map<String, String> scratch) {
    PodSpecBuilder spec = new PodSpecBuilder().withSecurityContext(Meta.podSecurity(uid))
        .withAutomountServiceAccountToken(false);
    for (String volume : scratch.keySet()) {
      spec.addToVolumes(emptyDir(volume));
    }
    return spec;
  }

  /** The container-level settings and the mounts of its scratch directories. */
  static Container container(ContainerBuilder container, Map<String, String> scratch) {
    List<VolumeMount> mounts = new ArrayList<>();
    scratch.forEach((volume, path) -> mounts.add(new VolumeMountBuilder().withName(volume).withMountPath(path).build()));
    return container.addAllToVolumeMounts(mounts).withSecurityContext(Meta.containerSecurity()).build();
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
