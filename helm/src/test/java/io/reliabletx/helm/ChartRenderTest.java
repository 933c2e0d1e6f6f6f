package io.reliabletx.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.reliabletx.helm.ChartUnderTest.FULLNAME;
import static io.reliabletx.helm.ChartUnderTest.NAMESPACE;
import static io.reliabletx.helm.ChartUnderTest.render;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code helm template} output, parsed by fabric8: kinds, labels, names, the Deployment and its security. */
class ChartRenderTest {

  /** Value sets that switch every template branch on at least once. */
  static Stream<Map<String, Object>> valueSets() {
    return Stream.of(
        Map.of(),
        Map.of("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b"),
        Map.of("watchAnyNamespace", true),
        Map.of("replicaCount", 2, "metrics.serviceMonitor.enabled", true, "metrics.pipelinePodMonitor.enabled", true),
        Map.of("serviceAccount.create", false, "serviceAccount.name", "existing-sa", "rbac.create", false,
            "metrics.service.enabled", false));
  }

  @ParameterizedTest
  @MethodSource("valueSets")
  void everyObjectParsesAsItsKind(Map<String, Object> values) {
    List<HasMetadata> objects = render(values).objects();

    assertThat(objects).isNotEmpty();
    for (HasMetadata object : objects) {
      if ("monitoring.coreos.com/v1".equals(object.getApiVersion())) {
        assertThat(object.getKind()).isIn("ServiceMonitor", "PodMonitor");
        continue; // not a fabric8 model kind: it stays generic
      }
      assertThat(object).as("%s parsed as a typed model", object.getKind())
          .isNotInstanceOf(GenericKubernetesResource.class);
      assertThat(object.getClass().getSimpleName()).isEqualTo(object.getKind());
    }
  }

  @ParameterizedTest
  @MethodSource("valueSets")
  void everyObjectCarriesTheRecommendedLabels(Map<String, Object> values) {
    for (HasMetadata object : render(values).objects()) {
      assertThat(object.getMetadata().getLabels())
          .as("labels of %s/%s", object.getKind(), object.getMetadata().getName())
          .containsEntry("app.kubernetes.io/name", "reliable-tx-operator")
          .containsEntry("app.kubernetes.io/instance", ChartUnderTest.RELEASE)
          .containsEntry("app.kubernetes.io/component", "operator")
          .containsEntry("app.kubernetes.io/version", "0.1.0")
          .containsEntry("app.kubernetes.io/part-of", "reliable-tx")
          .containsEntry("app.kubernetes.io/managed-by", "Helm")
          .containsEntry("helm.sh/chart", "reliable-tx-operator-0.1.0");
    }
  }

  @Test
  void defaultsRenderTheOperatorItsAccountRbacAndMetricsService() {
    var rendered = render(Map.of());

    assertThat(rendered.summary()).containsExactlyInAnyOrder(
        "ServiceAccount/rtx-system/" + FULLNAME,
        "Role/rtx-system/" + FULLNAME,
        "RoleBinding/rtx-system/" + FULLNAME,
        "Service/rtx-system/" + FULLNAME + "-metrics",
        "Deployment/rtx-system/" + FULLNAME);
  }

  @Test
  void deploymentRunsTheDefaultImageAsTheChartsServiceAccount() {
    var rendered = render(Map.of());
    Deployment deployment = rendered.one(Deployment.class);
    Container operator = onlyContainer(deployment);

    assertThat(operator.getImage()).isEqualTo("ghcr.io/reliable-tx/operator:0.1.0");
    assertThat(operator.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(rendered.one(ServiceAccount.class).getMetadata().getName());
    assertThat(rendered.one(RoleBinding.class, FULLNAME).getSubjects()).singleElement()
        .satisfies(subject -> {
          assertThat(subject.getKind()).isEqualTo("ServiceAccount");
          assertThat(subject.getName()).isEqualTo(FULLNAME);
          assertThat(subject.getNamespace()).isEqualTo(NAMESPACE);
        });
  }

  @Test
  void imageValuesAreHonoured() {
    Container operator = onlyContainer(render(Map.of(
        "image.repository", "registry.local:5000/rtx/operator", "image.tag", "1.2.3", "image.pullPolicy", "Always"))
        .one(Deployment.class));

    assertThat(operator.getImage()).isEqualTo("registry.local:5000/rtx/operator:1.2.3");
    assertThat(operator.getImagePullPolicy()).isEqualTo("Always");
  }

  @Test
  void aDigestRendersAValidReference() {
    String digest = "sha256:" + "0123456789abcdef".repeat(4);
    assertThat(onlyContainer(render(Map.of("image.digest", digest)).one(Deployment.class)).getImage())
        .isEqualTo("ghcr.io/reliable-tx/operator@" + digest);
    assertThat(onlyContainer(render(Map.of("image.tag", "1.2.3", "image.digest", digest)).one(Deployment.class))
        .getImage()).isEqualTo("ghcr.io/reliable-tx/operator:1.2.3@" + digest);
  }

  @Test
  void theOperatorGetsNoEnvItDoesNotRead() {
    assertThat(env(render(Map.of()).one(Deployment.class))).doesNotContainKey("OPERATOR_NAMESPACE")
        .containsEntry("LOG_LEVEL", "INFO");
  }

  @Test
  void theOperatorsThreadsAndMemorySettings() {
    assertThat(env(render(Map.of()).one(Deployment.class))).containsEntry("RECONCILE_THREADS", "10")
        .containsEntry("WORKFLOW_THREADS", "20").containsEntry("MALLOC_ARENA_MAX", "2")
        .containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=35.0 -XX:+UseSerialGC -Xss512k -XX:+ExitOnOutOfMemoryError");
    assertThat(env(render(Map.of("reconcileThreads", "4", "workflowThreads", "8")).one(Deployment.class)))
        .containsEntry("RECONCILE_THREADS", "4").containsEntry("WORKFLOW_THREADS", "8");
  }

  @Test
  void selectorsMatchThePodLabelsAndStayStable() {
    var rendered = render(Map.of("podLabels.team", "payments"));
    Deployment deployment = rendered.one(Deployment.class);
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();

    Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
    assertThat(selector).containsOnlyKeys(
        "app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component");
    assertThat(podLabels).containsAllEntriesOf(selector).containsEntry("team", "payments");
    assertThat(podLabels).containsAllEntriesOf(rendered.one(Service.class).getSpec().getSelector());
  }

  @Test
  void podAndContainerAreLockedDown() {
    Deployment deployment = render(Map.of()).one(Deployment.class);
    PodSecurityContext pod = deployment.getSpec().getTemplate().getSpec().getSecurityContext();
    Container operator = onlyContainer(deployment);
    SecurityContext container = operator.getSecurityContext();

    assertThat(pod.getRunAsNonRoot()).isTrue();
    assertThat(pod.getRunAsUser()).isNotNull().isNotZero();
    assertThat(pod.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(container.getRunAsNonRoot()).isTrue();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(container.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    // the read-only root filesystem leaves the JVM a size-limited emptyDir for /tmp, and nothing else writable
    assertThat(operator.getVolumeMounts()).singleElement()
        .satisfies(mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes()).singleElement()
        .satisfies(volume -> assertThat(volume.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("64Mi")));
    assertThat(deployment.getSpec().getTemplate().getSpec().getHostNetwork()).isNotEqualTo(Boolean.TRUE);
  }

  @Test
  void requestsAndLimitsAreSet() {
    var resources = onlyContainer(render(Map.of()).one(Deployment.class)).getResources();

    assertThat(resources.getRequests()).containsOnlyKeys("cpu", "memory");
    assertThat(resources.getLimits()).containsOnlyKeys("cpu", "memory");
    assertThat(Quantity.getAmountInBytes(resources.getLimits().get("memory")))
        .isGreaterThanOrEqualTo(Quantity.getAmountInBytes(resources.getRequests().get("memory")));
  }

  @Test
  void healthAndMetricsAreServedOnTheMetricsPort() {
    var rendered = render(Map.of());
    Container operator = onlyContainer(rendered.one(Deployment.class));

    assertThat(operator.getPorts()).singleElement().satisfies(port -> {
      assertThat(port.getName()).isEqualTo("http-metrics");
      assertThat(port.getContainerPort()).isEqualTo(8080);
    });
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(rendered.one(Service.class).getSpec().getPorts()).singleElement().satisfies(port -> {
      assertThat(port.getPort()).isEqualTo(8080);
      assertThat(port.getTargetPort().getStrVal()).isEqualTo("http-metrics");
    });
  }

  @Test
  void watchNamespacesArePassedCommaSeparatedTheReleaseNamespaceByDefaultAndEmptyForAnyNamespace() {
    assertThat(env(render(Map.of()).one(Deployment.class))).containsEntry("WATCH_NAMESPACES", NAMESPACE);
    assertThat(env(render(Map.of("watchAnyNamespace", true)).one(Deployment.class))).containsEntry("WATCH_NAMESPACES", "");
    assertThat(env(render(Map.of("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b")).one(Deployment.class)))
        .containsEntry("WATCH_NAMESPACES", "team-a,team-b");
  }

  @Test
  void leaderElectionIsOffForOneReplicaAndOnForMore() {
    var single = render(Map.of());
    assertThat(env(single.one(Deployment.class))).containsEntry("LEADER_ELECTION_ENABLED", "false");
    assertThat(single.find(Role.class, FULLNAME + "-leader-election")).isEmpty();
    assertThat(single.one(Deployment.class).getSpec().getStrategy().getType())
        .as("without leader election an upgrade must not run two operators at once").isEqualTo("Recreate");

    var two = render(Map.of("replicaCount", 2));
    assertThat(two.one(Deployment.class).getSpec().getReplicas()).isEqualTo(2);
    assertThat(env(two.one(Deployment.class)))
        .containsEntry("LEADER_ELECTION_ENABLED", "true")
        .containsEntry("LEADER_ELECTION_LEASE_NAME", FULLNAME + "-lock");
    assertThat(two.one(Role.class, FULLNAME + "-leader-election").getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(two.one(RoleBinding.class, FULLNAME + "-leader-election").getMetadata().getNamespace())
        .isEqualTo(NAMESPACE);

    assertThat(two.one(Deployment.class).getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");

    var forced = render(Map.of("leaderElection.enabled", true));
    assertThat(env(forced.one(Deployment.class))).containsEntry("LEADER_ELECTION_ENABLED", "true");
    assertThat(forced.one(Deployment.class).getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
  }

  @Test
  void leaderElectionNamespaceIsTheOperatorsOwn() {
    EnvVar namespace = onlyContainer(render(Map.of("replicaCount", 3)).one(Deployment.class)).getEnv().stream()
        .filter(e -> e.getName().equals("LEADER_ELECTION_NAMESPACE")).findFirst().orElseThrow();

    assertThat(namespace.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
  }

  @Test
  void serviceMonitorIsOffByDefaultAndScrapesTheMetricsServiceWhenOn() {
    assertThat(render(Map.of()).objects()).noneMatch(o -> o.getKind().equals("ServiceMonitor"));

    var rendered = render(Map.of("metrics.serviceMonitor.enabled", true, "metrics.serviceMonitor.labels.release", "prom"));
    GenericKubernetesResource monitor = rendered.one(GenericKubernetesResource.class);
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prom");
    Map<String, Object> spec = monitor.get("spec");
    @SuppressWarnings("unchecked")
    Map<String, String> matchLabels = (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
    assertThat(rendered.one(Service.class).getMetadata().getLabels()).containsAllEntriesOf(matchLabels);
    assertThat(monitor.<String>get("spec", "endpoints", 0, "port")).isEqualTo("http-metrics");
    assertThat(monitor.<String>get("spec", "endpoints", 0, "path")).isEqualTo("/metrics");
  }

  @Test
  void thePipelinesPodMonitorIsOffByDefaultAndScrapesBrokersAndServicesWhenOn() {
    assertThat(render(Map.of()).objects()).noneMatch(o -> o.getKind().equals("PodMonitor"));

    var rendered = render(Map.of("metrics.pipelinePodMonitor.enabled", true, "metrics.pipelinePodMonitor.labels.release",
        "prom", "watchAnyNamespace", true));
    GenericKubernetesResource monitor = rendered.objects().stream().filter(o -> o.getKind().equals("PodMonitor"))
        .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prom");
    assertThat(monitor.<String>get("spec", "selector", "matchLabels", "app.kubernetes.io/managed-by"))
        .isEqualTo(io.reliabletx.operator.pipeline.PipelineNames.MANAGED_BY);
    assertThat(monitor.<List<String>>get("spec", "selector", "matchExpressions", 0, "values"))
        .containsExactly("broker", "orderservice", "stockservice");
    assertThat(monitor.<Boolean>get("spec", "namespaceSelector", "any")).isTrue();
    assertThat(monitor.<String>get("spec", "podMetricsEndpoints", 0, "port"))
        .isEqualTo(io.reliabletx.operator.pipeline.children.Broker.METRICS_PORT_NAME);
    assertThat(monitor.<String>get("spec", "podMetricsEndpoints", 1, "path")).isEqualTo("/actuator/prometheus");

    GenericKubernetesResource namespaced = render(Map.of("metrics.pipelinePodMonitor.enabled", true,
        "watchNamespaces[0]", "team-a")).objects().stream().filter(o -> o.getKind().equals("PodMonitor"))
        .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
    assertThat(namespaced.<List<String>>get("spec", "namespaceSelector", "matchNames")).containsExactly("team-a");
    GenericKubernetesResource byDefault = render(Map.of("metrics.pipelinePodMonitor.enabled", true)).objects().stream()
        .filter(o -> o.getKind().equals("PodMonitor")).map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
    assertThat(byDefault.<List<String>>get("spec", "namespaceSelector", "matchNames")).containsExactly(NAMESPACE);
  }

  @Test
  void existingServiceAccountIsUsedWhenNotCreated() {
    var rendered = render(Map.of("serviceAccount.create", false, "serviceAccount.name", "existing-sa"));

    assertThat(rendered.all(ServiceAccount.class)).isEmpty();
    assertThat(rendered.one(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("existing-sa");
    assertThat(rendered.one(RoleBinding.class, FULLNAME).getSubjects().get(0).getName()).isEqualTo("existing-sa");
    assertThat(render(Map.of("serviceAccount.create", false, "serviceAccount.name", "existing-sa", "watchAnyNamespace",
        true)).one(ClusterRoleBinding.class).getSubjects().get(0).getName()).isEqualTo("existing-sa");
  }

  @Test
  void fullnameOverrideNamesEveryObject() {
    Set<String> names = render(Map.of("fullnameOverride", "rtx-op")).objects().stream()
        .map(o -> o.getMetadata().getName()).collect(Collectors.toSet());

    assertThat(names).allMatch(name -> name.startsWith("rtx-op"));
  }

  private static Container onlyContainer(Deployment deployment) {
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static Map<String, String> env(Deployment deployment) {
    return onlyContainer(deployment).getEnv().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}
