package io.reliabletx.operator.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

import io.reliabletx.operator.OperatorMain;
import io.reliabletx.testing.k8s.LocalControlPlane;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Operator cost on the local control plane (kwok): one pipeline from apply to children and to Ready, the API
 * requests that took, the requests during a quiet period (target: no writes), then N pipelines applied at once:
 * time to all Ready, and this process's RSS and CPU. Run: scripts/bench-operator.sh [--pipelines 200] [--quiet-seconds 60].
 */
public final class OperatorBench {

  /** Counts the operator client's API requests by method. */
  static final class RequestCounter implements Interceptor {
    final Map<String, AtomicLong> byMethod = new ConcurrentHashMap<>();

    @Override
    public void before(BasicBuilder builder, HttpRequest request, Interceptor.RequestTags tags) {
      byMethod.computeIfAbsent(request.method(), m -> new AtomicLong()).incrementAndGet();
    }

    Map<String, Long> snapshotAndReset() {
      Map<String, Long> out = new TreeMap<>();
      byMethod.forEach((k, v) -> out.put(k, v.getAndSet(0)));
      return out;
    }
  }

  static final ResourceDefinitionContext RTP = new ResourceDefinitionContext.Builder().withGroup("reliabletx.io")
      .withVersion("v1alpha1").withPlural("reliabletxpipelines").withKind("ReliableTxPipeline").withNamespaced(true).build();

  public static void main(String[] args) throws Exception {
    int pipelines = 200;
    int quietSeconds = 60;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--pipelines" -> pipelines = Integer.parseInt(args[i + 1]);
        case "--quiet-seconds" -> quietSeconds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    LocalControlPlane plane = LocalControlPlane.get();
    KubernetesClient admin = plane.client();
    CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions()
        .load(plane.repoRoot().resolve("crds/reliabletxpipelines.reliabletx.io-v1.yml").toFile()).item();
    admin.apiextensions().v1().customResourceDefinitions().resource(crd).forceConflicts().serverSideApply();
    admin.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
        .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions().stream()
            .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())), 60, TimeUnit.SECONDS);
    String ns = "rtp-bench-" + Long.toString(System.currentTimeMillis(), 36);
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();

    RequestCounter counter = new RequestCounter();
    KubernetesClient operatorClient = new KubernetesClientBuilder().withConfig(plane.config())
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("count", counter)).build();
    OperatorMain operator = new OperatorMain(operatorClient, Set.of(ns), null);
    operator.start();
    StringBuilder report = new StringBuilder("# Operator benchmark\n\n");
    try {
      Thread.sleep(2000);
      counter.snapshotAndReset(); // start-up: informers' lists and watches

      long t0 = System.nanoTime();
      create(admin, ns, "one");
      waitUntil(() -> children(admin, ns, "one") >= 16, 300);
      double toChildren = (System.nanoTime() - t0) / 1e9;
      waitUntil(() -> ready(admin, ns, "one"), 300);
      double toReady = (System.nanoTime() - t0) / 1e9;
      Thread.sleep(3000); // let the last status patches land
      Map<String, Long> oneRequests = counter.snapshotAndReset();

      Thread.sleep(quietSeconds * 1000L);
      Map<String, Long> quietRequests = counter.snapshotAndReset();

      long cpu0 = cpuNanos();
      long t1 = System.nanoTime();
      for (int i = 0; i < pipelines; i++) {
        create(admin, ns, String.format("p-%03d", i));
      }
      final int n = pipelines;
      boolean allReady = waitUntil(() -> readyCount(admin, ns) >= n + 1, 1800);
      double toAllReady = (System.nanoTime() - t1) / 1e9;
      double cpuSeconds = (cpuNanos() - cpu0) / 1e9;
      Map<String, Long> manyRequests = counter.snapshotAndReset();
      long rssMiB = rssKiB() / 1024;

      report.append(String.format("Run %s on %d cores against the local control plane (kube-apiserver v1.34.2, kwok)."
          + " The operator runs in this JVM (RSS below includes the benchmark's own admin client).%n%n",
          LocalDate.now(), Runtime.getRuntime().availableProcessors()));
      report.append("| measurement | value |\n|---|---|\n");
      report.append(String.format("| one pipeline: apply → all 16 children created | %.1f s |%n", toChildren));
      report.append(String.format("| one pipeline: apply → Ready | %.1f s |%n", toReady));
      report.append(String.format("| API requests for that (by method) | %s |%n", oneRequests));
      report.append(String.format("| API requests during %d quiet seconds (no change) | %s; writes: %d |%n", quietSeconds,
          quietRequests, writes(quietRequests)));
      report.append(String.format("| %d pipelines applied at once → all Ready | %s |%n", pipelines,
          allReady ? String.format("%.0f s", toAllReady) : "not within 30 min"));
      report.append(String.format("| API requests for them (by method) | %s |%n", manyRequests));
      report.append(String.format("| operator process CPU during that | %.0f s (%.1f cores on average) |%n", cpuSeconds,
          cpuSeconds / toAllReady));
      report.append(String.format("| process RSS after | %d MiB (heap used %d MiB) |%n", rssMiB,
          (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20));
    } finally {
      operator.stop();
      admin.namespaces().withName(ns).delete();
    }
    System.out.println(report);
    Path out = plane.repoRoot().resolve("bench/results/operator.md");
    Files.writeString(out, report.toString());
    System.out.println("written to " + out);
    System.exit(0);
  }

  private static void create(KubernetesClient client, String ns, String name) {
    GenericKubernetesResource rtp = new GenericKubernetesResource();
    rtp.setApiVersion("reliabletx.io/v1alpha1");
    rtp.setKind("ReliableTxPipeline");
    rtp.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    rtp.setAdditionalProperty("spec", Map.of());
    client.genericKubernetesResources(RTP).inNamespace(ns).resource(rtp).create();
  }

  private static long children(KubernetesClient c, String ns, String name) {
    Map<String, String> sel = Map.of("app.kubernetes.io/instance", name);
    return c.apps().statefulSets().inNamespace(ns).withLabels(sel).list().getItems().size()
        + c.apps().deployments().inNamespace(ns).withLabels(sel).list().getItems().size()
        + c.services().inNamespace(ns).withLabels(sel).list().getItems().size()
        + c.configMaps().inNamespace(ns).withLabels(sel).list().getItems().size()
        + c.secrets().inNamespace(ns).withLabels(sel).list().getItems().size()
        + c.batch().v1().jobs().inNamespace(ns).withLabels(sel).list().getItems().size();
  }

  @SuppressWarnings("unchecked")
  private static boolean isReady(GenericKubernetesResource r) {
    Object status = r.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> s) || !(s.get("conditions") instanceof List<?> conditions)) {
      return false;
    }
    return conditions.stream().map(o -> (Map<String, Object>) o)
        .anyMatch(m -> "Ready".equals(m.get("type")) && "True".equals(m.get("status")));
  }

  private static boolean ready(KubernetesClient c, String ns, String name) {
    GenericKubernetesResource r = c.genericKubernetesResources(RTP).inNamespace(ns).withName(name).get();
    return r != null && isReady(r);
  }

  private static long readyCount(KubernetesClient c, String ns) {
    return c.genericKubernetesResources(RTP).inNamespace(ns).list().getItems().stream().filter(OperatorBench::isReady).count();
  }

  private static long writes(Map<String, Long> byMethod) {
    return byMethod.entrySet().stream().filter(e -> !e.getKey().equals("GET")).mapToLong(Map.Entry::getValue).sum();
  }

  interface Check {
    boolean ok() throws Exception;
  }

  private static boolean waitUntil(Check check, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (check.ok()) {
        return true;
      }
      Thread.sleep(250);
    }
    return check.ok();
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long rssKiB() throws Exception {
    return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1L);
  }
}
