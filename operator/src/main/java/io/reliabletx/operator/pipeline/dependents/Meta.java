package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.reliabletx.operator.pipeline.PipelineNames;

/** Small builders shared by the dependents. */
final class Meta {
  private Meta() {}

  static ObjectMeta of(String name, PipelineNames names, String component) {
    return new ObjectMetaBuilder().withName(name).withNamespace(names.namespace())
        .withLabels(names.labels(component)).build();
  }

  /** Pods run as a non-root user with no privilege escalation and the default seccomp profile. */
  static PodSecurityContext podSecurity(long uid) {
    return new PodSecurityContextBuilder().withRunAsNonRoot(true).withRunAsUser(uid).withRunAsGroup(uid)
        .withFsGroup(uid).withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().build();
  }

  static SecurityContext containerSecurity() {
    return new SecurityContextBuilder().withAllowPrivilegeEscalation(false)
        .withNewCapabilities().withDrop("ALL").endCapabilities().build();
  }

  static Probe tcp(int port, int initialDelay) {
    return new ProbeBuilder().withNewTcpSocket().withNewPort(port).endTcpSocket()
        .withInitialDelaySeconds(initialDelay).withPeriodSeconds(10).build();
  }

  static Probe http(String path, int port, int initialDelay) {
    return new ProbeBuilder().withNewHttpGet().withPath(path).withNewPort(port).endHttpGet()
        .withInitialDelaySeconds(initialDelay).withPeriodSeconds(10).build();
  }
}
