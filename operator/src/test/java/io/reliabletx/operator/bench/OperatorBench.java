package io.reliabletx.operator.bench;

import java.io.IOException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.reliabletx.operator.Pipelines;
import io.reliabletx.operator.pipeline.children.PipelineChildren;
import io.reliabletx.testing.k8s.LocalControlPlane;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Operator cost on the local control plane (kwok). The operator runs in a process of its own ({@link OperatorProcess},
 * started here with the chart's heap), so its CPU and RSS are its alone and its API requests are counted by its own
 * client. Measured: one pipeline from apply to all its children created and to Ready (with the timeline of each
 * child and pod), the requests that took, the requests during a quiet period (target: no writes), then N pipelines
 * applied at once: time until every child of all N exists, and until all are Ready, the operator's requests, CPU and
 * RSS. The times are taken by this process's informers when the objects reach it.
 * Run: scripts/bench-operator.sh [--pipelines 200] [--quiet-seconds 60] [--jvm "JVM options"] [--heap 384m]
 * [--wait-seconds 1800] [--create-threads 8]. --jvm replaces the operator's JVM options (default {@link #chartJvm}: the
 * chart's, sized by the chart's memory limit); --heap only its -Xmx. The N pipelines are created by
 * --create-threads concurrent requests (as `kubectl apply` of several files at once would).

 */
public final class OperatorBench {
  /**
   * The chart's JVM options (helm/reliable-tx-operator/values.yaml {@code javaOptions}), read from the chart, with
   * {@code -XX:MaxRAM} set to the chart's memory limit: outside a container the JVM would size its heap (the initial
   * one too) from the machine's memory; this way it sizes both as it does in the operator's pod.
   */
  static String chartJvm(Path repoRoot) throws IOException {
    Map<?, ?> values = new KubernetesSerialization().unmarshal(
        Files.readString(repoRoot.resolve("helm/reliable-tx-operator/values.yaml")), Map.class);
    String limit = String.valueOf(((Map<?, ?>) ((Map<?, ?>) values.get("resources")).get("limits")).get("memory"));
    if (!limit.matches("\\d+[MG]i")) {
      throw new IllegalStateException("the chart's memory limit " + limit + " is not in Mi or Gi");
    }
    String maxRam = limit.substring(0, limit.length() - 2) + limit.substring(limit.length() - 2, limit.length() - 1)
        .toLowerCase();
    return "-XX:MaxRAM=" + maxRam + " " + values.get("javaOptions");
  }

  static final ResourceDefinitionContext RTP = new ResourceDefinitionContext.Builder().withGroup("reliabletx.io")
      .withVersion("v1alpha1").withPlural("reliabletxpipelines").withKind("ReliableTxPipeline").withNamespaced(true).build();

  /** The kinds of a pipeline's children. */
  static final List<Class<? extends HasMetadata>> CHILD_KINDS = List.of(StatefulSet.class, Deployment.class,
      io.fabric8.kubernetes.api.model.Service.class, io.fabric8.kubernetes.api.model.ConfigMap.class,
      io.fabric8.kubernetes.api.model.Secret.class, Job.class, NetworkPolicy.class, PodDisruptionBudget.class);

  /** When this process first saw each object ("Kind/name"), and each pipeline Ready, on System.nanoTime(). */
  static final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
  static final Map<String, Long> readyAt = new ConcurrentHashMap<>();
  static final Map<String, Long> podReadyAt = new ConcurrentHashMap<>();
  /** When a workload child was first seen ready (its status says so): what the next children wait for. */
  static final Map<String, Long> workloadReadyAt = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    int pipelines = 200;
    int quietSeconds = 60;
    String heap = null;
    String jvm = null;
    int createThreads = 8;
    int waitSeconds = 1800;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--pipelines" -> pipelines = Integer.parseInt(args[i + 1]);
        case "--quiet-seconds" -> quietSeconds = Integer.parseInt(args[i + 1]);
        case "--heap" -> heap = args[i + 1];
        case "--jvm" -> jvm = args[i + 1];
        case "--create-threads" -> createThreads = Integer.parseInt(args[i + 1]);
        case "--wait-seconds" -> waitSeconds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    LocalControlPlane plane = LocalControlPlane.get();
    KubernetesClient admin = plane.client();
    if (jvm == null) {
      jvm = chartJvm(plane.repoRoot());
    }
    plane.installPipelineCrd();
    String ns = "rtp-bench-" + Long.toString(System.currentTimeMillis(), 36);
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();

    List<SharedIndexInformer<?>> informers = new ArrayList<>();
    for (Class<? extends HasMetadata> kind : CHILD_KINDS) {
      informers.add(admin.resources(kind).inNamespace(ns).withLabel("app.kubernetes.io/instance")
          .inform(onAddOrUpdate(o -> {
            long now = System.nanoTime();
            firstSeen.putIfAbsent(o.getKind() + "/" + o.getMetadata().getName(), now);
            if (workloadReady(o)) {
              workloadReadyAt.putIfAbsent(o.getKind() + "/" + o.getMetadata().getName(), now);
            }
          })));
    }
    informers.add(admin.genericKubernetesResources(RTP).inNamespace(ns).inform(onAddOrUpdate(r -> {
      if (isReady((GenericKubernetesResource) r)) {
        readyAt.putIfAbsent(r.getMetadata().getName(), System.nanoTime());
      }
    })));
    SharedIndexInformer<Pod> pods = admin.pods().inNamespace(ns).inform(onAddOrUpdate(p -> {
      Pod pod = (Pod) p;
      if (pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
          .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
        podReadyAt.putIfAbsent(pod.getMetadata().getName(), System.nanoTime());
      }
    }));

    Path log = plane.repoRoot().resolve("operator/target/operator-bench-operator.log");
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
    command.addAll(Arrays.asList(jvm.trim().split("\\s+")));
    if (heap != null) {
      command.removeIf(o -> o.startsWith("-Xmx"));
      command.add("-Xmx" + heap);
    }
    String jvmOptions = String.join(" ", command.subList(1, command.size()));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), OperatorProcess.class.getName(),
        plane.kubeconfig().toString(), ns));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
    // glibc's malloc arenas, as the chart's pod has them (MALLOC_ARENA_MAX in its env).
    builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
    Process operator = builder.start();
    BufferedReader fromOperator = new BufferedReader(new InputStreamReader(operator.getInputStream(), StandardCharsets.UTF_8));
    Writer toOperator = new OutputStreamWriter(operator.getOutputStream(), StandardCharsets.UTF_8);
    // Skips what the JVM itself may print first (e.g. -XX:StartFlightRecording's "Started recording").
    String line;
    while ((line = fromOperator.readLine()) != null && !"started".equals(line)) {
      System.err.println("operator: " + line);
    }
    if (line == null) {
      throw new IllegalStateException("the operator did not start; see " + log);
    }
    StringBuilder report = new StringBuilder();
    try {
      Thread.sleep(3000);
      counts(toOperator, fromOperator); // start-up: informers' lists and watches

      Set<String> oneChildren = expectedChildren(ns, "one");
      long t0 = System.nanoTime();
      create(admin, ns, "one");
      if (!waitUntil(() -> firstSeen.keySet().containsAll(oneChildren), 300)) {
        throw new IllegalStateException("children never seen: " + oneChildren.stream().filter(c -> !firstSeen.containsKey(c)).toList());
      }
      double toChildren = seconds(t0, latest(oneChildren));
      waitUntil(() -> readyAt.containsKey("one"), 300);
      double toReady = seconds(t0, readyAt.get("one"));
      Thread.sleep(3000); // let the last status patches land
      Map<String, Long> oneRequests = counts(toOperator, fromOperator);
      String timeline = timeline(t0, oneChildren);
      pods.close();

      Thread.sleep(quietSeconds * 1000L);
      Map<String, Long> quietRequests = counts(toOperator, fromOperator);

      // The same again with the operator warm (its classes loaded and compiled by the first).
      Set<String> twoChildren = expectedChildren(ns, "two");
      long t2 = System.nanoTime();
      create(admin, ns, "two");
      boolean twoCreated = waitUntil(() -> firstSeen.keySet().containsAll(twoChildren), 300);
      double twoToChildren = seconds(t2, latest(twoChildren));
      waitUntil(() -> readyAt.containsKey("two"), 300);
      double twoToReady = seconds(t2, readyAt.getOrDefault("two", System.nanoTime()));
      Thread.sleep(3000);
      Map<String, Long> twoRequests = counts(toOperator, fromOperator);

      Duration cpu0 = cpu(operator);
      Set<String> allChildren = new HashSet<>();
      List<String> names = new ArrayList<>();
      for (int i = 0; i < pipelines; i++) {
        names.add(String.format("p-%03d", i));
        allChildren.addAll(expectedChildren(ns, names.get(i)));
      }
      long t1 = System.nanoTime();
      ExecutorService creates = Executors.newFixedThreadPool(createThreads);
      for (Future<?> f : creates.invokeAll(names.stream().<Callable<Object>>map(n -> () -> {
        create(admin, ns, n);
        return null;
      }).toList())) {
        f.get();
      }
      creates.shutdown();
      double applied = seconds(t1, System.nanoTime());
      final int wait = waitSeconds;
      boolean allChildrenCreated = waitUntil(() -> firstSeen.keySet().containsAll(allChildren), wait);
      double toAllChildren = seconds(t1, latest(allChildren));
      boolean allReady = allChildrenCreated && waitUntil(() -> readyAt.keySet().containsAll(names), wait);
      double toAllReady = seconds(t1, names.stream().mapToLong(n -> readyAt.getOrDefault(n, System.nanoTime())).max().orElseThrow());
      double cpuSeconds = (cpu(operator).minus(cpu0)).toMillis() / 1e3;
      Thread.sleep(3000);
      Map<String, Long> manyRequests = counts(toOperator, fromOperator);
      long rssMiB = rssKiB(operator.pid(), "VmRSS:") / 1024;
      long peakRssMiB = rssKiB(operator.pid(), "VmHWM:") / 1024;

      // How long after its last workload was ready (as this process saw it) each pipeline said Ready: the operator's
      // reaction, which a missed child event would stretch to its 30 s safety-net reconcile.
      List<Double> lags = new ArrayList<>();
      for (String n : names) {
        Set<String> kids = expectedChildren(ns, n);
        long lastWorkload = kids.stream().filter(workloadReadyAt::containsKey).mapToLong(workloadReadyAt::get).max()
            .orElse(0L);
        if (readyAt.containsKey(n) && lastWorkload > 0) {
          lags.add(seconds(lastWorkload, readyAt.get(n)));
        }
      }
      java.util.Collections.sort(lags);
      String readyLag = lags.isEmpty() ? "n/a" : String.format("median %.2f s, p95 %.2f s, max %.2f s (%d pipelines)",
          lags.get(lags.size() / 2), lags.get((int) Math.min(lags.size() - 1, Math.round(lags.size() * 0.95))),
          lags.get(lags.size() - 1), lags.size());

      int perPipeline = oneChildren.size();
      report.append(String.format("Run %s UTC, load average at the end %s, %d cores, local control plane"
              + " (kube-apiserver v1.34.2, kwok node). Operator in its own JVM (`%s`, MALLOC_ARENA_MAX=%s), pid %d;"
              + " operator env: %s.%n",
          Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), loadAverage(),
          Runtime.getRuntime().availableProcessors(), jvmOptions, builder.environment().get("MALLOC_ARENA_MAX"),
          operator.pid(), operatorEnv(builder.environment())));
      report.append("Plane's client QPS: ").append(planeQps(plane)).append("\n\n");
      report.append("| measurement | value |\n|---|---|\n");
      report.append(String.format("| one pipeline: apply → all %d children created | %.1f s |%n", perPipeline, toChildren));
      report.append(String.format("| one pipeline: apply → Ready | %.1f s |%n", toReady));
      report.append(String.format("| API requests for that | %s |%n", oneRequests));
      report.append(String.format("| writes (POST/PATCH/PUT/DELETE) per child, one pipeline | %d / %d = %.2f |%n",
          writes(oneRequests), perPipeline, writes(oneRequests) / (double) perPipeline));
      report.append(String.format("| API requests during %d quiet seconds | %s; writes: %d |%n", quietSeconds,
          quietRequests, writes(quietRequests)));
      report.append(String.format("| a second pipeline, operator warm: apply → all %d children created | %s |%n",
          twoChildren.size(), twoCreated ? String.format("%.1f s", twoToChildren) : "not within 300 s"));
      report.append(String.format("| a second pipeline: apply → Ready; writes per child | %.1f s; %d / %d = %.2f |%n",
          twoToReady, writes(twoRequests), twoChildren.size(), writes(twoRequests) / (double) twoChildren.size()));
      report.append(String.format("| %d pipelines applied at once (%d concurrent creates; they took %.1f s) → every child of all exists | %s |%n",
          pipelines, createThreads, applied, allChildrenCreated ? String.format("%.1f s", toAllChildren)
              : String.format("not within %d s: %d of %d", waitSeconds, allChildren.stream().filter(firstSeen::containsKey).count(), allChildren.size())));
      report.append(String.format("| %d pipelines → all Ready | %s |%n", pipelines,
          allReady ? String.format("%.1f s", toAllReady)
              : String.format("not within %d s: %d Ready", waitSeconds, names.stream().filter(readyAt::containsKey).count())));
      report.append(String.format("| %d pipelines: Ready after their last workload was ready | %s |%n", pipelines, readyLag));
      report.append(String.format("| API requests for them | %s |%n", manyRequests));
      report.append(String.format("| writes per child, %d pipelines | %d / %d = %.2f |%n", pipelines,
          writes(manyRequests), allChildren.size(), writes(manyRequests) / (double) allChildren.size()));
      report.append(String.format("| operator CPU from apply to all Ready | %.1f s (%.2f cores); %.1f ms per child |%n",
          cpuSeconds, cpuSeconds / toAllReady, cpuSeconds * 1000 / allChildren.size()));
      report.append(String.format("| operator RSS after; peak (VmHWM) | %d MiB; %d MiB |%n", rssMiB, peakRssMiB));
      report.append("\nOne pipeline's timeline (s after apply; objects as this process's informers first saw them,"
          + " pods when first Ready, workloads when their status first said ready):\n\n").append(timeline);
    } finally {
      toOperator.close();
      if (!operator.waitFor(30, TimeUnit.SECONDS)) {
        operator.destroyForcibly();
      }
      informers.forEach(SharedIndexInformer::close);
      admin.namespaces().withName(ns).delete();
    }
    System.out.println(report);
    Path out = plane.repoRoot().resolve("operator/target/operator-bench.md");
    Files.writeString(out, report.toString());
    System.out.println("written to " + out);
    System.exit(0);
  }

  /** "Kind/name" of every child a default pipeline {@code ns/name} has (the topics Job's name hashes its pod). */
  static Set<String> expectedChildren(String ns, String name) {
    return PipelineChildren.of(Pipelines.defaults(name, ns)).values().stream()
        .map(o -> o.getKind() + "/" + o.getMetadata().getName()).collect(Collectors.toSet());
  }

  private static String timeline(long t0, Set<String> children) {
    Map<Double, List<String>> at = new TreeMap<>();
    children.forEach(c -> at.computeIfAbsent(seconds(t0, firstSeen.get(c)), k -> new ArrayList<>()).add(c));
    podReadyAt.forEach((p, t) -> at.computeIfAbsent(seconds(t0, t), k -> new ArrayList<>()).add("pod " + p + " Ready"));
    workloadReadyAt.forEach((w, t) -> at.computeIfAbsent(seconds(t0, t), k -> new ArrayList<>())
        .add(w + (w.startsWith("Job/") ? " succeeded" : " ready")));
    at.computeIfAbsent(seconds(t0, readyAt.get("one")), k -> new ArrayList<>()).add("pipeline Ready");
    StringBuilder out = new StringBuilder();
    at.forEach((s, what) -> out.append(String.format("- %.2f s: %s%n", s, String.join(", ", what.stream().sorted().toList()))));
    return out.toString();
  }

  /** A StatefulSet or Deployment with all its replicas ready, a Job that succeeded. */
  static boolean workloadReady(HasMetadata o) {
    if (o instanceof StatefulSet s && s.getStatus() != null && s.getSpec().getReplicas() != null) {
      return s.getStatus().getReadyReplicas() != null && s.getStatus().getReadyReplicas() >= s.getSpec().getReplicas();
    }
    if (o instanceof Deployment d && d.getStatus() != null && d.getSpec().getReplicas() != null) {
      return d.getStatus().getReadyReplicas() != null && d.getStatus().getReadyReplicas() >= d.getSpec().getReplicas();
    }
    return o instanceof Job j && j.getStatus() != null && j.getStatus().getSucceeded() != null
        && j.getStatus().getSucceeded() > 0;
  }

  private static long latest(Set<String> keys) {
    return keys.stream().mapToLong(k -> firstSeen.getOrDefault(k, System.nanoTime())).max().orElseThrow();
  }

  private static double seconds(long from, long to) {
    return Math.round((to - from) / 1e7) / 100.0;
  }

  private static <T extends HasMetadata> ResourceEventHandler<T> onAddOrUpdate(java.util.function.Consumer<HasMetadata> f) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        f.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        f.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
    };
  }

  /** The operator's request counts since the last call ({@link OperatorProcess}'s "counts" command). */
  @SuppressWarnings("unchecked")
  private static Map<String, Long> counts(Writer to, BufferedReader from) throws Exception {
    to.write("counts\n");
    to.flush();
    for (String line; (line = from.readLine()) != null; ) {
      if (line.startsWith("counts ")) {
        Map<String, Number> raw = Serialization.unmarshal(line.substring("counts ".length()), Map.class);
        Map<String, Long> out = new TreeMap<>();
        raw.forEach((k, v) -> out.put(k, v.longValue()));
        return out;
      }
    }
    throw new IllegalStateException("the operator process ended");
  }

  private static void create(KubernetesClient client, String ns, String name) {
    GenericKubernetesResource rtp = new GenericKubernetesResource();
    rtp.setApiVersion("reliabletx.io/v1alpha1");
    rtp.setKind("ReliableTxPipeline");
    rtp.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    rtp.setAdditionalProperty("spec", Map.of());
    client.genericKubernetesResources(RTP).inNamespace(ns).resource(rtp).create();
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

  private static long writes(Map<String, Long> byRequest) {
    return byRequest.entrySet().stream().filter(e -> OperatorProcess.RequestCounter.isWrite(e.getKey()))
        .mapToLong(Map.Entry::getValue).sum();
  }

  /** The --kube-api-qps/--kube-api-burst the plane's controller-manager and scheduler were started with. */
  private static String planeQps(LocalControlPlane plane) {
    List<String> out = new ArrayList<>();
    for (String component : List.of("kube-controller-manager", "kube-scheduler")) {
      try {
        String pid = Files.readString(plane.kubeconfig().getParent().resolve("pids/" + component + ".pid")).strip();
        List<String> flags = Arrays.stream(Files.readString(Path.of("/proc", pid, "cmdline")).split("\0"))
            .filter(a -> a.startsWith("--kube-api-qps") || a.startsWith("--kube-api-burst")).toList();
        out.add(component + " " + (flags.isEmpty() ? "without --kube-api-qps/--kube-api-burst (defaults: "
            + (component.equals("kube-scheduler") ? "50 QPS, burst 100)" : "20 QPS, burst 30)") : String.join(" ", flags)));
      } catch (Exception e) {
        out.add(component + ": not found (" + e.getMessage() + ")");
      }
    }
    return String.join("; ", out);
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
      Thread.sleep(50);
    }
    return check.ok();
  }

  private static Duration cpu(Process p) {
    return p.toHandle().info().totalCpuDuration().orElseThrow();
  }

  private static String loadAverage() throws Exception {
    return String.join(" ", Arrays.asList(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
  }

  /** The operator's settings given by the environment (OperatorMain reads them). */
  private static String operatorEnv(Map<String, String> env) {
    List<String> set = new ArrayList<>();
    for (String name : List.of("RECONCILE_THREADS", "WORKFLOW_THREADS")) {
      set.add(name + "=" + env.getOrDefault(name, "(default)"));
    }
    return String.join(", ", set);
  }

  private static long rssKiB(long pid, String field) throws Exception {
    return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream().filter(l -> l.startsWith(field))
        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1L);
  }
}
