package io.reliabletx.testing.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code @ExtendWith(ControlPlaneExtension.class)}: test methods and constructors may take a {@link LocalControlPlane}
 * or a {@link KubernetesClient} (closed after the test) on the real local control plane.
 */
public final class ControlPlaneExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LocalControlPlane.class || type == KubernetesClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    LocalControlPlane plane = LocalControlPlane.get();
    if (parameter.getParameter().getType() == LocalControlPlane.class) {
      return plane;
    }
    KubernetesClient client = plane.client();
    context.getStore(ExtensionContext.Namespace.create(ControlPlaneExtension.class, context.getUniqueId()))
        .put("client", (ExtensionContext.Store.CloseableResource) client::close);
    return client;
  }
}
