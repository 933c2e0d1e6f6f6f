package io.reliabletx.operator.pipeline.children;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.reliabletx.operator.pipeline.PipelineNames;

/** Small builders shared by the children: object metadata, security contexts, probes. */
final class Meta {
  private Meta() {}

  static ObjectMeta of(String name, PipelineNames names, String component) {
    return new ObjectMetaBuilder().withName(name).withNamespace(names.namespace())
        .withLabels(names.labels(component)).build();
  }

  /** Pods run as a non-root user with no privilege escalation and the default seccomp profile ("restricted"). */
  static PodSecurityContext podSecurity(long uid) {
    return new PodSecurityContextBuilder().withRunAsNonRoot(true).withRunAsUser(uid).withRunAsGroup(uid)
        .withFsGroup(uid).withFsGroupChangePolicy("OnRootMismatch") // a large volume is not re-chowned on every start
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().build();
  }

  static SecurityContext containerSecurity() {
    return new SecurityContextBuilder().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true).withNewCapabilities().withDrop("ALL").endCapabilities().build();
  }

  /** Checked every 10 s; a startup probe (PodShape.startup) covers the first start, so no initial delay. */
  static Probe tcp(int port) {
    return new ProbeBuilder().withNewTcpSocket().withNewPort(port).endTcpSocket().withPeriodSeconds(10).build();
  }

  static Probe http(String path, int port) {
    return new ProbeBuilder().withNewHttpGet().withPath(path).withNewPort(port).endHttpGet().withPeriodSeconds(10).build();
  }
}
