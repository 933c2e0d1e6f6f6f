package io.reliabletx.operator.bench;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.reliabletx.operator.OperatorMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator ({@link OperatorMain}, watching one namespace) in a process of its own, for {@link OperatorBench}: its
 * client counts the API requests it sends, by method and resource. Args: kubeconfig, namespace. Commands on stdin,
 * one a line: {@code counts} prints one line {@code counts <JSON {"PATCH statefulsets": n, ...}>} and resets them;
 * end of input stops the operator and exits.
 */
public final class OperatorProcess {

  /**
   * Counts API requests by "METHOD resource[/subresource]" (e.g. "PATCH reliabletxpipelines/status"), each attempt the
   * client sends (its own retries of 429 and 5xx answers too); and the answers other than 2xx by "!code METHOD
   * resource" (not requests of their own: {@link #isWrite} leaves them out).
   */
  public static final class RequestCounter implements Interceptor {
    final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    @Override
    public void before(BasicBuilder builder, HttpRequest request, Interceptor.RequestTags tags) {
      counts.computeIfAbsent(request.method() + " " + resource(request.uri().getPath()), k -> new AtomicLong())
          .incrementAndGet();
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
      if (response.code() >= 300) {
        counts.computeIfAbsent("!" + response.code() + " " + request.method() + " " + resource(request.uri().getPath()),
            k -> new AtomicLong()).incrementAndGet();
      }
    }

    /** A write request's key (not a read, not an answer's). */
    public static boolean isWrite(String key) {
      return !key.startsWith("GET ") && !key.startsWith("!");
    }

    /** ".../namespaces/ns/statefulsets/name/status" → "statefulsets/status"; ".../namespaces/ns/events" → "events". */
    static String resource(String path) {
      List<String> parts = List.of(path.replaceAll("^/+|/+$", "").split("/"));
      int ns = parts.indexOf("namespaces");
      // Cluster-scoped lists (/api/v1/pods) and namespaced ones: the resource follows the version or the namespace.
      int at = ns >= 0 && parts.size() > ns + 2 ? ns + 2 : parts.get(0).equals("api") ? 2 : 3;
      if (at >= parts.size()) {
        return path;
      }
      return parts.size() > at + 2 ? parts.get(at) + "/" + parts.get(at + 2) : parts.get(at);
    }

    public Map<String, Long> snapshotAndReset() {
      Map<String, Long> out = new TreeMap<>();
      counts.forEach((k, v) -> {
        long n = v.getAndSet(0);
        if (n > 0) {
          out.put(k, n);
        }
      });
      return out;
    }
  }

  public static void main(String[] args) throws Exception {
    Config config = OperatorMain.clientConfig(
        Config.fromKubeconfig(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8)));
    RequestCounter counter = new RequestCounter();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("count", counter)).build();
    OperatorMain operator = new OperatorMain(client, Set.of(args[1]), null,
        OperatorMain.Threads.fromEnvironment(System.getenv()));
    operator.start();
    System.out.println("started");
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.strip().equals("counts")) {
        System.out.println("counts " + Serialization.asJson(counter.snapshotAndReset()));
        System.out.flush();
      }
    }
    operator.stop();
    System.exit(0);
  }
}
