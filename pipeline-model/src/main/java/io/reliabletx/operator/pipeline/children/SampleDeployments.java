package io.reliabletx.operator.pipeline.children;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.spec.PodSettings;
import java.util.List;
import java.util.Map;

/** Deployments and Services of the Spring Boot sample services (port 8080, actuator probes). */
final class SampleDeployments {
  static final long SAMPLE_UID = 1000;
  /** Spring Boot's embedded Tomcat and the JVM write their temp files here. */
  static final Map<String, String> SCRATCH = PodShape.scratch("tmp", "/tmp");

  /**
   * The JVM takes a quarter of the limit as its heap (256 MiB) by default. Seen on the local real node (kubelet working
   * set, a started pipeline): order 246 MiB, stock 220 MiB.
   */
  static final ResourceRequirements RESOURCES = PodShape.resources("100m", 1024);

  private SampleDeployments() {}

  static Deployment deployment(String name, PipelineNames names, String component, String image, int replicas,
      List<EnvVar> env, PodSettings settings) {
    PodSpec pod = PodShape.pod(SAMPLE_UID, SCRATCH, settings)
        .withContainers(PodShape.container(new ContainerBuilder()
            .withName(component)
            .withImage(image)
            .withEnv(env)
            .addNewPort().withName("http").withContainerPort(PipelineNames.HTTP_PORT).endPort()
            .withStartupProbe(PodShape.startup(Meta.http("/actuator/health/liveness", PipelineNames.HTTP_PORT), 300))
            .withReadinessProbe(Meta.http("/actuator/health/readiness", PipelineNames.HTTP_PORT))
            .withLivenessProbe(Meta.http("/actuator/health/liveness", PipelineNames.HTTP_PORT)), SCRATCH, settings,
            RESOURCES))
        .build();
    return Workloads.deployment(name, names, component, replicas, pod, settings).build();
  }

  static Service service(String name, PipelineNames names, String component) {
    return Services.service(name, names, component, false, List.of(Services.port("http", PipelineNames.HTTP_PORT)));
  }
}
