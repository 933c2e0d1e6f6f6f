package io.reliabletx.operator;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.reliabletx.operator.pipeline.reconciler.PipelineEvents;
import io.reliabletx.operator.pipeline.reconciler.ReliableTxPipelineReconciler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point. Out of cluster it uses $KUBECONFIG (or ~/.kube/config); in cluster the service account.
 * Env: WATCH_NAMESPACES (comma list, empty = all), LEADER_ELECTION=true (alias LEADER_ELECTION_ENABLED) with
 * LEADER_ELECTION_LEASE (alias LEADER_ELECTION_LEASE_NAME, default reliable-tx-operator) and LEADER_ELECTION_NAMESPACE,
 * HTTP_PORT (alias METRICS_PORT, default 8080) for /healthz, /readyz, /metrics, LOG_LEVEL (TRACE..ERROR, default INFO)
 * for the operator's own packages; RECONCILE_THREADS (pipelines reconciled at once) and WORKFLOW_THREADS (children
 * applied at once, over all pipelines) bound the operator's concurrent work and so its concurrent API requests
 * (default {@link Threads#DEFAULT}).
 */
public final class OperatorMain {
  static {
    // Before the first logger of our packages exists: slf4j-simple reads a logger's level when it is created.
    LogLevel.apply(System.getenv("LOG_LEVEL"));
  }

  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private final Operator operator;
  private final PrometheusMeterRegistry registry;
  private HttpServer http;

  /**
   * How many pipelines are reconciled at once, and how many children (dependents of all pipelines together) are
   * reconciled at once: each of those sends at most one API request at a time, so their sum bounds the operator's
   * requests in flight. The fabric8 client has no rate limit of its own (unlike client-go's QPS/burst).
   */
  public record Threads(int reconcile, int workflow) {
    public static final Threads DEFAULT = new Threads(10, 20);

    public static Threads fromEnvironment(Map<String, String> env) {
      return new Threads(positive(env, "RECONCILE_THREADS", DEFAULT.reconcile),
          positive(env, "WORKFLOW_THREADS", DEFAULT.workflow));
    }

    private static int positive(Map<String, String> env, String name, int fallback) {
      String v = env.get(name);
      if (v == null || v.isBlank()) {
        return fallback;
      }
      int n = Integer.parseInt(v.trim());
      if (n < 1) {
        throw new IllegalArgumentException(name + " must be at least 1: " + v);
      }
      return n;
    }
  }

  public OperatorMain(KubernetesClient client, Set<String> namespaces, LeaderElectionConfiguration leaderElection) {
    this(client, namespaces, leaderElection, Threads.DEFAULT);
  }

  public OperatorMain(KubernetesClient client, Set<String> namespaces, LeaderElectionConfiguration leaderElection,
      Threads threads) {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.operator = new Operator(o -> {
      o.withKubernetesClient(client).withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build())
          .withStopOnInformerErrorDuringStartup(false)
          // JOSDK writes ConfigMaps and Secrets with PUT (update) by default; every child is written with server-side
          // apply instead (patch), which is what the chart grants and what keeps other managers' fields intact.
          .withDefaultNonSSAResource(Set.of())
          .withConcurrentReconciliationThreads(threads.reconcile())
          .withConcurrentWorkflowExecutorThreads(threads.workflow());
      if (leaderElection != null) {
        o.withLeaderElectionConfiguration(leaderElection);
      }
    });
    operator.register(new ReliableTxPipelineReconciler(new PipelineEvents(client)), c -> {
      if (!namespaces.isEmpty()) {
        c.settingNamespaces(namespaces);
      }
    });
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> env = System.getenv();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig(Config.autoConfigure(null))).build();
    OperatorMain main = fromEnvironment(client, env);
    main.serveHttp(httpPort(env));
    Runtime.getRuntime().addShutdownHook(new Thread(main::stop, "operator-shutdown"));
    main.start();
  }

  /**
   * How long the client waits for an answer before it gives up and retries: the API server's own limit (60 s), not
   * fabric8's 10 s. Under load the API server takes longer than 10 s to create a Service (a ClusterIP allocation: 6.9 s
   * on average at 50 pipelines on 2 cores); the client then sent the same apply again, an extra write that found the
   * Service created (409) or waited its turn again.
   */
  public static final int REQUEST_TIMEOUT_MILLIS = 60_000;

  /** {@code config} with the operator's client settings ({@link #REQUEST_TIMEOUT_MILLIS}). */
  public static Config clientConfig(Config config) {
    config.setRequestTimeout(REQUEST_TIMEOUT_MILLIS);
    return config;
  }

  /** The operator the environment describes (see the class comment), not started. */
  static OperatorMain fromEnvironment(KubernetesClient client, Map<String, String> env) {
    Set<String> namespaces = parseNamespaces(env.get("WATCH_NAMESPACES"));
    LeaderElectionConfiguration le = null;
    if ("true".equalsIgnoreCase(firstOf(env, "false", "LEADER_ELECTION", "LEADER_ELECTION_ENABLED"))) {
      le = new LeaderElectionConfiguration(
          firstOf(env, "reliable-tx-operator", "LEADER_ELECTION_LEASE", "LEADER_ELECTION_LEASE_NAME"),
          env.get("LEADER_ELECTION_NAMESPACE"));
    }
    Threads threads = Threads.fromEnvironment(env);
    LOG.info("watching {}; {} reconcile threads, {} workflow threads",
        namespaces.isEmpty() ? "all namespaces" : namespaces, threads.reconcile(), threads.workflow());
    return new OperatorMain(client, namespaces, le, threads);
  }

  static int httpPort(Map<String, String> env) {
    return Integer.parseInt(firstOf(env, "8080", "HTTP_PORT", "METRICS_PORT"));
  }

  /** The first of the env vars that is set (the Helm chart's names are accepted as aliases). */
  private static String firstOf(Map<String, String> env, String fallback, String... names) {
    for (String n : names) {
      String v = env.get(n);
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    return fallback;
  }

  private static Set<String> parseNamespaces(String value) {
    if (value == null || value.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
  }

  public void start() {
    operator.start();
  }

  public void stop() {
    if (http != null) {
      http.stop(0);
    }
    operator.stop();
  }

  /** For tests: what was registered and configured. */
  Operator operator() {
    return operator;
  }

  /** /healthz: the process lives; /readyz: informers are up; /metrics: Prometheus text. */
  public void serveHttp(int port) throws IOException {
    http = HttpServer.create(new InetSocketAddress(port), 0);
    http.createContext("/healthz", ex -> respond(ex, 200, () -> "ok\n"));
    http.createContext("/readyz", ex -> {
      boolean ok = operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
      respond(ex, ok ? 200 : 503, () -> ok ? "ok\n" : "not ready\n");
    });
    http.createContext("/metrics", ex -> respond(ex, 200, registry::scrape));
    http.start();
  }

  public int httpPort() {
    return http.getAddress().getPort();
  }

  private static void respond(com.sun.net.httpserver.HttpExchange ex, int code, Supplier<String> body) throws IOException {
    byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

}
