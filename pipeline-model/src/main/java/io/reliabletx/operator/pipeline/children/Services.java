package io.reliabletx.operator.pipeline.children;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.reliabletx.operator.pipeline.PipelineNames;
import java.util.List;

/** Desired Services; headless ones give StatefulSet pods their stable DNS names. */
final class Services {
  private Services() {}

  static Service service(String name, PipelineNames names, String component, boolean headless, List<ServicePort> ports) {
    ServiceBuilder b = new ServiceBuilder()
        .withMetadata(Meta.of(name, names, component))
        .withNewSpec()
          .withType("ClusterIP")
          .withSelector(names.selector(component))
          .withPorts(ports)
        .endSpec();
    if (headless) {
      b.editSpec().withClusterIP("None").withPublishNotReadyAddresses(true).endSpec();
    }
    return b.build();
  }

  static ServicePort port(String name, int port) {
    return new ServicePortBuilder().withName(name).withPort(port).withNewTargetPort(port).withProtocol("TCP").build();
  }
}
