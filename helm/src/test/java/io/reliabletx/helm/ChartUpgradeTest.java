package io.reliabletx.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.reliabletx.operator.OperatorMain;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.spec.OrderServiceSpec;
import io.reliabletx.operator.pipeline.status.PipelineConditions;
import io.reliabletx.testing.k8s.LocalControlPlane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upgrade a user of the published chart makes, on the real local control plane: the previous release's chart
 * (packaged from git history) installed with its own CRD, a pipeline Ready under it, then the documented upgrade
 * (README: the CRD by server-side apply from {@code helm show crds} of the new chart, Helm never touching a CRD it
 * installed, then {@code helm upgrade} to this build's packaged chart). The pipeline stays Ready (its Ready
 * condition never flips), the CRD in the cluster becomes this chart's (with the rules it added), and the operator of
 * the new release still reconciles under the new release's RBAC.
 *
 * <p>The previous release is {@code -Dupgrade.from=<git ref>}, else the newest {@code v*} tag in HEAD's history other
 * than this version, else {@link #BASELINE} (no release is tagged yet). As in the other chart tests the operator runs
 * in this JVM as the chart's ServiceAccount (the kwok node runs no pods), so both sides run this build's operator: the
 * test is about the chart and the CRD. The cluster's CRD is set to the previous release's first (replacing it if
 * another test left this build's), as on a cluster where that release was installed, and to this build's at the end.
 */
@Tag(LocalControlPlane.TAG)
class ChartUpgradeTest {
  /** The chart before this CRD's CEL rules for live changes and SLAVE brokers (7097f0b) and the RBAC trimmed to what
   *  the operator does (1e17d55): the last commit whose chart differs in both. */
  static final String BASELINE = "fc61ba1e680ada80c4755a8667ca2098f1111d49";
  static final String CRD = "reliabletxpipelines.reliabletx.io";
  static final String RELEASE = "rtxup";

  @Test
  void upgradeFromThePreviousReleaseUpdatesTheCrdAndRbacAndBringsThePipelineToReady(@TempDir Path work) throws Exception {
    LocalControlPlane plane = LocalControlPlane.get();
    String suffix = Long.toString(System.nanoTime() % 1_000_000, 36);
    String system = "rtx-up-system-" + suffix;
    String apps = "rtx-up-apps-" + suffix;
    String serviceAccount = "system:serviceaccount:" + system + ":" + RELEASE + "-reliable-tx-operator";
    String previousRef = previousRelease();
    // The previous chart comes from git history: a checkout without it (a tarball, a shallow clone) cannot run this.
    Assumptions.assumeTrue(inHistory(previousRef), "the previous release " + previousRef + " is not in this checkout's"
        + " git history (git fetch --unshallow --tags, or -Dupgrade.from=<ref>)");
    Path previousChart = packagePreviousRelease(plane, previousRef, work);
    Path currentChart = packageChart(plane, ChartUnderTest.chartDir(), work.resolve("current"));
    long started = System.nanoTime();
    System.out.printf("[chart-upgrade] from %s (%s) to %s%n", previousRef, previousChart.getFileName(),
        currentChart.getFileName());

    try (KubernetesClient admin = plane.client()) {
      // A cluster where the previous release was installed has its CRD: install it, or put it back over a newer one.
      Path previousCrd = work.resolve("previous-crd.yaml");
      Files.writeString(previousCrd, plane.helm("show", "crds", previousChart.toString()));
      CustomResourceDefinition live = admin.apiextensions().v1().customResourceDefinitions().withName(CRD).get();
      if (live != null) { // a full update: an apply would leave fields that other managers own
        CustomResourceDefinition previous = Serialization.unmarshal(Files.readString(previousCrd),
            CustomResourceDefinition.class);
        previous.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
        admin.apiextensions().v1().customResourceDefinitions().resource(previous).update();
      }
      plane.kubectl("create", "namespace", apps);
      plane.helm("install", RELEASE, previousChart.toString(), "--namespace", system, "--create-namespace",
          "--set", "watchNamespaces={" + apps + "}", "--wait", "--timeout", "3m");
      assertThat(schema(admin)).as("the previous release's CRD is installed").isEqualTo(schemaOf(previousCrd));
      Path slave = writeTemp(work, "slave.yaml", """
          apiVersion: reliabletx.io/v1alpha1
          kind: ReliableTxPipeline
          metadata: {name: slave}
          spec:
            broker: {brokerRole: SLAVE}
          """);
      assertThat(plane.tryKubectl("apply", "--dry-run=server", "-n", apps, "-f", slave.toString()).exitCode())
          .as("the previous CRD has no rule against a SLAVE broker").isZero();
      assertThat(canI(plane, "delete", "statefulsets", apps, serviceAccount)).as("the previous chart's RBAC").isEqualTo("yes");

      // The operator here is this checkout's under the previous release's RBAC, which lacks kinds this release also
      // creates (NetworkPolicies, the broker's PodDisruptionBudget): before the upgrade the pipeline cannot be Ready,
      // but every workload is there (the dependents the refused ones do not gate still run).
      OperatorMain operator = startOperatorAs(plane, serviceAccount, apps);
      try {
        plane.kubectl("apply", "-n", apps, "-f", writeTemp(work, "pipeline.yaml", """
            apiVersion: reliabletx.io/v1alpha1
            kind: ReliableTxPipeline
            metadata: {name: upgraded}
            spec: {}
            """).toString());
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
            .until(() -> childGenerations(admin, apps).keySet().containsAll(
                List.of("deploy/upgraded-order", "deploy/upgraded-stock", "sts/upgraded-broker")));
      } finally {
        operator.stop(); // the old release's pod goes away during the upgrade (Recreate)
      }
      String imageBefore = pipeline(admin, apps).getSpec().getOrder().getImage();
      Map<String, Long> generationsBefore = childGenerations(admin, apps);

      // The documented upgrade: the CRD first, then the release.
      Path currentCrd = work.resolve("current-crd.yaml");
      Files.writeString(currentCrd, plane.helm("show", "crds", currentChart.toString()));
      plane.kubectl("apply", "--server-side", "--force-conflicts", "-f", currentCrd.toString());
      String upgraded = plane.helm("upgrade", RELEASE, currentChart.toString(), "--namespace", system,
          "--reset-then-reuse-values", "--wait", "--timeout", "3m");
      assertThat(upgraded).contains("STATUS: deployed").contains("REVISION: 2")
          .as("the notes remind of the CRD").contains("kubectl apply --server-side --force-conflicts");

      assertThat(schema(admin)).as("the cluster's CRD is the new chart's").isEqualTo(schemaOf(currentCrd));
      LocalControlPlane.Result refused = plane.tryKubectl("apply", "--dry-run=server", "-n", apps, "-f", slave.toString());
      assertThat(refused.exitCode()).as("the new CRD's rules hold").isNotZero();
      assertThat(refused.output()).contains("brokerRole SLAVE");
      LocalControlPlane.Result resized = plane.tryKubectl("patch", "rtp", "upgraded", "-n", apps, "--type=merge",
          "-p", "{\"spec\":{\"broker\":{\"storage\":{\"size\":\"20Gi\"}}}}");
      assertThat(resized.exitCode()).as("the new CRD's rules hold for the existing pipeline too").isNotZero();
      assertThat(resized.output()).contains("storage.size cannot change on a live pipeline");
      String defaulted = plane.kubectl("apply", "--dry-run=server", "-n", apps, "-o", "jsonpath={.spec.order.image}",
          "-f", writeTemp(work, "new.yaml", """
              apiVersion: reliabletx.io/v1alpha1
              kind: ReliableTxPipeline
              metadata: {name: created-after}
              spec: {}
              """).toString());
      assertThat(defaulted).as("a pipeline created now gets the new defaults").isEqualTo(OrderServiceSpec.DEFAULT_IMAGE);
      assertThat(pipeline(admin, apps).getSpec().getOrder().getImage())
          .as("an existing pipeline keeps the images it was created with (defaults are stored)").isEqualTo(imageBefore);
      assertThat(canI(plane, "delete", "statefulsets", apps, serviceAccount)).as("the new chart's RBAC").isEqualTo("no");
      assertThat(plane.kubectl("get", "deployment", RELEASE + "-reliable-tx-operator", "-n", system,
          "-o", "jsonpath={.spec.template.spec.containers[0].image}"))
          .isEqualTo(ReleaseVersionTest.REGISTRY + "/operator:" + ReleaseVersionTest.appVersion());

      OperatorMain newOperator = startOperatorAs(plane, serviceAccount, apps);
      try {
        // The new operator takes the pipeline over: what this release adds to the pods (resources, the broker group's
        // settings) rewrites each workload once at most (one roll, as the README says), then nothing rewrites it again.
        newOperator.serveHttp(0);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
            .until(() -> reconciledSuccessfully(newOperator, apps) && "True".equals(ready(admin, apps).getStatus()));
        Map<String, Long> generationsAfter = childGenerations(admin, apps);
        assertThat(generationsAfter.keySet()).isEqualTo(generationsBefore.keySet());
        generationsAfter.forEach((child, generation) -> assertThat(generation).as(child + " rewritten once at most")
            .isBetween(generationsBefore.get(child), generationsBefore.get(child) + 1));
        plane.kubectl("annotate", "rtp", "upgraded", "-n", apps, "reliabletx.io/poke=1"); // one more reconcile
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
            .until(() -> childGenerations(admin, apps).equals(generationsAfter));

        // ... and carries out a change under the new release's RBAC.
        plane.kubectl("patch", "rtp", "upgraded", "-n", apps, "--type=merge",
            "-p", "{\"spec\":{\"transaction\":{\"checkMax\":9}}}");
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).until(() -> {
          var brokerConfig = admin.configMaps().inNamespace(apps).withName("upgraded-broker-config").get();
          ReliableTxPipeline p = pipeline(admin, apps);
          return brokerConfig.getData().get("broker.conf").contains("transactionCheckMax = 9")
              && p.getMetadata().getGeneration().equals(p.getStatus().getObservedGeneration())
              && "True".equals(ready(admin, apps).getStatus());
        });
        System.out.printf("[chart-upgrade] install, pipeline Ready, upgrade, change carried out: %.1f s%n",
            (System.nanoTime() - started) / 1e9);
      } finally {
        newOperator.stop();
      }
    } finally {
      plane.tryKubectl("delete", "rtp", "--all", "-n", apps, "--wait=true", "--timeout=60s");
      plane.tryKubectl("delete", "pvc,secret", "-n", apps, "-l", "app.kubernetes.io/instance=upgraded");
      try {
        plane.helm("uninstall", RELEASE, "--namespace", system, "--wait", "--timeout", "2m");
      } catch (IllegalStateException e) {
        System.out.println("[chart-upgrade] cleanup: " + e.getMessage());
      }
      plane.tryKubectl("delete", "namespace", apps, system, "--wait=false");
      // Leave this build's CRD, as the other tests expect it.
      plane.kubectl("apply", "--server-side", "--force-conflicts", "-f",
          ChartUnderTest.repoRoot().resolve("crds/reliabletxpipelines.reliabletx.io-v1.yml").toString());
    }
  }

  /** {@code -Dupgrade.from}, else the newest v* tag in HEAD's history that is not this version, else the baseline. */
  static String previousRelease() throws Exception {
    String explicit = System.getProperty("upgrade.from", "");
    if (!explicit.isBlank()) {
      return explicit;
    }
    String current = "v" + ReleaseVersionTest.appVersion();
    for (String tag : git("tag", "--merged", "HEAD", "--list", "v*", "--sort=-version:refname").split("\\R")) {
      if (!tag.isBlank() && !tag.strip().equals(current)) {
        return tag.strip();
      }
    }
    return BASELINE;
  }

  static boolean inHistory(String ref) {
    try {
      git("rev-parse", "--verify", "--quiet", ref + "^{commit}");
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** The chart and crds/ of a commit (git archive), packaged with the plane's helm. */
  static Path packagePreviousRelease(LocalControlPlane plane, String ref, Path work) throws IOException {
    Path tree = Files.createDirectories(work.resolve("previous"));
    Path tar = work.resolve("previous.tar");
    try {
      git("archive", "--format=tar", "-o", tar.toString(), ref, "helm/reliable-tx-operator", "crds");
    } catch (IllegalStateException e) {
      throw new IllegalStateException("cannot read the previous release " + ref + " from git history (a shallow"
          + " clone? git fetch --unshallow --tags, or pass -Dupgrade.from=<ref>)", e);
    }
    run(List.of("tar", "-xf", tar.toString(), "-C", tree.toString()), tree);
    return packageChart(plane, tree.resolve("helm/reliable-tx-operator"), work.resolve("previous-dist"));
  }

  static Path packageChart(LocalControlPlane plane, Path chartDir, Path destination) throws IOException {
    Files.createDirectories(destination);
    plane.helm("package", chartDir.toString(), "--destination", destination.toString());
    try (var archives = Files.list(destination)) {
      return archives.filter(p -> p.toString().endsWith(".tgz")).findFirst().orElseThrow();
    }
  }

  static OperatorMain startOperatorAs(LocalControlPlane plane, String serviceAccount, String namespace) {
    Config config = plane.config();
    config.setImpersonateUsername(serviceAccount);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    OperatorMain operator = new OperatorMain(client, Set.of(namespace), null);
    operator.start();
    return operator;
  }

  /** metadata.generation of the pipeline's StatefulSets and Deployments: a rewritten pod template raises it. */
  static Map<String, Long> childGenerations(KubernetesClient admin, String namespace) {
    Map<String, Long> generations = new TreeMap<>();
    admin.apps().statefulSets().inNamespace(namespace).withLabel("app.kubernetes.io/instance", "upgraded").list()
        .getItems().forEach(o -> generations.put("sts/" + o.getMetadata().getName(), o.getMetadata().getGeneration()));
    admin.apps().deployments().inNamespace(namespace).withLabel("app.kubernetes.io/instance", "upgraded").list()
        .getItems().forEach(o -> generations.put("deploy/" + o.getMetadata().getName(), o.getMetadata().getGeneration()));
    assertThat(generations).isNotEmpty();
    return generations;
  }

  /** The operator's own metrics (JOSDK's per-resource counters) count a successful reconciliation of the pipeline. */
  static boolean reconciledSuccessfully(OperatorMain operator, String namespace) throws Exception {
    HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + operator.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    return metrics.body().lines().anyMatch(line -> line.contains("reconciliations_success") && line.contains(namespace)
        && line.contains("upgraded") && !line.startsWith("#") && Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) >= 1);
  }

  static ReliableTxPipeline pipeline(KubernetesClient admin, String namespace) {
    return admin.resources(ReliableTxPipeline.class).inNamespace(namespace).withName("upgraded").get();
  }

  static Condition ready(KubernetesClient admin, String namespace) {
    return PipelineConditions.find(pipeline(admin, namespace).getStatus().getConditions(), PipelineConditions.READY);
  }

  static JsonNode schema(KubernetesClient admin) {
    return schemaOf(admin.apiextensions().v1().customResourceDefinitions().withName(CRD).get());
  }

  static JsonNode schemaOf(Path crdFile) throws IOException {
    return schemaOf(Serialization.unmarshal(Files.readString(crdFile), CustomResourceDefinition.class));
  }

  /** What decides validation and defaulting: every version's schema, as JSON. */
  static JsonNode schemaOf(CustomResourceDefinition crd) {
    return Serialization.jsonMapper().valueToTree(crd.getSpec().getVersions().stream()
        .map(v -> List.of(v.getName(), v.getSchema())).toList());
  }

  static String canI(LocalControlPlane plane, String verb, String resource, String namespace, String user) {
    return plane.tryKubectl("auth", "can-i", verb, resource, "-n", namespace, "--as", user)
        .output().strip().lines().findFirst().orElse("");
  }

  static Path writeTemp(Path dir, String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  static String git(String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", ChartUnderTest.repoRoot().toString()));
    command.addAll(List.of(args));
    return run(command, ChartUnderTest.repoRoot());
  }

  static String run(List<String> command, Path dir) {
    try {
      Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
