package io.reliabletx.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.reliabletx.operator.OperatorMain;
import io.reliabletx.testing.k8s.LocalControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The install path a user takes, on the real local control plane: {@code helm install} (CRD included), the
 * operator run out of cluster under the chart's ServiceAccount (impersonated: proves the chart's RBAC suffices),
 * {@code kubectl apply} of an example, {@code kubectl wait --for=condition=Ready}, printer columns, a refused bad
 * CR, garbage collection on delete, rights the ServiceAccount must not have, and {@code helm uninstall}.
 */
@Tag(LocalControlPlane.TAG)
class ChartInstallTest {

  @Test
  void installsReconcilesToReadyUnderTheChartsRbacAndUninstallsCleanly() throws Exception {
    LocalControlPlane plane = LocalControlPlane.get();
    String suffix = Long.toString(System.nanoTime() % 1_000_000, 36);
    String system = "rtx-system-" + suffix;
    String apps = "rtx-apps-" + suffix;
    String release = "rtx";
    String serviceAccount = "system:serviceaccount:" + system + ":" + release + "-reliable-tx-operator";
    Path example = ChartUnderTest.repoRoot().resolve("examples/minimal.yaml");

    plane.kubectl("create", "namespace", apps);
    String installed = plane.helm("install", release, ChartUnderTest.chartDir().toString(), "--namespace", system,
        "--create-namespace", "--set", "watchNamespaces={" + apps + "}", "--wait", "--timeout", "3m");
    assertThat(installed).contains("STATUS: deployed").contains("kubectl apply");
    assertThat(plane.kubectl("get", "crd", "reliabletxpipelines.reliabletx.io", "-o", "name"))
        .contains("reliabletxpipelines.reliabletx.io");

    // Least privilege: what the operator never needs is denied to its ServiceAccount.
    assertThat(plane.tryKubectl("auth", "can-i", "list", "nodes", "--as", serviceAccount).output().strip().lines().findFirst().orElse("")).isEqualTo("no");
    assertThat(plane.tryKubectl("auth", "can-i", "delete", "namespaces", "--as", serviceAccount).output().strip().lines().findFirst().orElse("")).isEqualTo("no");
    assertThat(plane.tryKubectl("auth", "can-i", "create", "statefulsets", "-n", "default", "--as", serviceAccount)
        .output().strip().lines().findFirst().orElse("")).as("no rights outside the watched namespace").isEqualTo("no");
    assertThat(plane.tryKubectl("auth", "can-i", "patch", "statefulsets", "-n", apps, "--as", serviceAccount)
        .output().strip().lines().findFirst().orElse("")).isEqualTo("yes");

    Config asOperator = plane.config();
    asOperator.setImpersonateUsername(serviceAccount);
    try (KubernetesClient operatorClient = new KubernetesClientBuilder().withConfig(asOperator).build()) {
      OperatorMain operator = new OperatorMain(operatorClient, Set.of(apps), null);
      operator.start();
      try {
        long applied = System.nanoTime();
        plane.kubectl("apply", "-n", apps, "-f", example.toString());
        plane.kubectl("wait", "--for=condition=Ready", "rtp/minimal", "-n", apps, "--timeout=240s");
        System.out.printf("[chart-install] apply -> Ready under the chart's RBAC in %.1f s%n",
            (System.nanoTime() - applied) / 1e9);
        String table = plane.kubectl("get", "rtp", "-n", apps);
        assertThat(table).contains("READY").contains("PHASE").contains("minimal").contains("Ready");

        // A new topic means a new topics Job (a Job's template is immutable); the superseded one is deleted, which
        // also proves the chart grants that delete.
        String topicsJobs = "app.kubernetes.io/instance=minimal,app.kubernetes.io/component=topics";
        String firstJob = plane.kubectl("get", "jobs", "-n", apps, "-l", topicsJobs, "-o", "name").strip();
        assertThat(firstJob).startsWith("job.batch/minimal-topics-");
        plane.kubectl("patch", "rtp", "minimal", "-n", apps, "--type=merge", "-p", "{\"spec\":{\"order\":{\"topic\":\"orders-v2\"}}}");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
          String now = plane.kubectl("get", "jobs", "-n", apps, "-l", topicsJobs, "-o", "name").strip();
          assertThat(now).startsWith("job.batch/minimal-topics-").isNotEqualTo(firstJob).doesNotContain("\n");
        });
        plane.kubectl("wait", "--for=condition=Ready", "rtp/minimal", "-n", apps, "--timeout=120s");

        Path bad = Files.createTempFile("bad-rtp", ".yaml");
        bad.toFile().deleteOnExit(); // else one file per run piles up in /tmp
        Files.writeString(bad, """
            apiVersion: reliabletx.io/v1alpha1
            kind: ReliableTxPipeline
            metadata: {name: bad}
            spec:
              broker: {brokerRole: MASTER, diskMaxUsedSpaceRatio: 200}
            """);
        LocalControlPlane.Result refused = plane.tryKubectl("apply", "-n", apps, "-f", bad.toString());
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("MASTER").contains("diskMaxUsedSpaceRatio");

        plane.kubectl("delete", "-n", apps, "-f", example.toString(), "--wait=true", "--timeout=120s");
        await().atMost(Duration.ofSeconds(120)).until(() ->
            plane.kubectl("get", "statefulsets,deployments,services,configmaps,jobs", "-n", apps,
                "-l", "app.kubernetes.io/instance=minimal", "-o", "name").isBlank());
        // Kept with the retained data (the default), until deleted the documented way.
        assertThat(plane.kubectl("get", "secrets", "-n", apps, "-l", "app.kubernetes.io/instance=minimal", "-o", "name"))
            .contains("secret/minimal-credentials");
        plane.kubectl("delete", "pvc,secret", "-n", apps, "-l", "app.kubernetes.io/instance=minimal");
        await().atMost(Duration.ofSeconds(120)).until(() -> plane.kubectl("get", "pvc,secrets", "-n", apps,
            "-l", "app.kubernetes.io/instance=minimal", "-o", "name").isBlank());
      } finally {
        operator.stop();
      }
    }

    plane.helm("uninstall", release, "--namespace", system, "--wait", "--timeout", "2m");
    assertThat(plane.kubectl("get", "deployments,services,serviceaccounts,roles,rolebindings", "-n", system,
        "-l", "app.kubernetes.io/instance=" + release, "-o", "name")).isBlank();
    assertThat(plane.kubectl("get", "clusterroles,clusterrolebindings", "-l", "app.kubernetes.io/instance=" + release,
        "-o", "name")).isBlank();
    assertThat(plane.kubectl("get", "crd", "reliabletxpipelines.reliabletx.io", "-o", "name"))
        .as("Helm keeps CRDs on uninstall, as documented").isNotBlank();
    plane.kubectl("delete", "namespace", apps, system, "--wait=false");
  }
}
