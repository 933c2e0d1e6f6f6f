package io.reliabletx.operator.pipeline.children;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.reliabletx.operator.pipeline.PipelineNames;
import java.util.List;

/** Deployments and Services of the Spring Boot sample services (port 8080, actuator probes). */
final class SampleDeployments {
  static final long SAMPLE_UID = 1000;
  /** Spring Boot's embedded Tomcat and the JVM write their temp files here. */
  static final java.util.Map<String, String> SCRATCH = PodShape.scratch("tmp", "/tmp");

  private SampleDeployments() {}

  static Deployment deployment(String name, PipelineNames names, String component, String image, int replicas,
      List<EnvVar> env) {
    PodSpec pod = PodShape.pod(SAMPLE_UID, SCRATCH)
        .withContainers(PodShape.container(new ContainerBuilder()
            .withName(component)
            .withImage(image)
            .withEnv(env)
            .addNewPort().withName("http").withContainerPort(PipelineNames.HTTP_PORT).endPort()
            .withStartupProbe(PodShape.startup(Meta.http("/actuator/health/liveness", PipelineNames.HTTP_PORT), 300))
            .withReadinessProbe(Meta.http("/actuator/health/readiness", PipelineNames.HTTP_PORT))
            .withLivenessProbe(Meta.http("/actuator/health/liveness", PipelineNames.HTTP_PORT)), SCRATCH))
        .build();
    return Workloads.deployment(name, names, component, replicas, pod).build();
  }

  static Service service(String name, PipelineNames names, String component) {
    return Services.service(name, names, component, false, List.of(Services.port("http", PipelineNames.HTTP_PORT)));
  }
}
