package io.reliabletx.testing.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real local control plane of {@code scripts/control-plane}: started (and built, the first time) on first use,
 * shared by every test of the JVM and left running afterwards (stop it with {@code scripts/control-plane/stop.sh};
 * start.sh is idempotent, so the next run reuses it).
 */
public final class LocalControlPlane {

  /** The JUnit tag of tests that need it: the fast suite runs with {@code -DexcludedGroups=k8s}. */
  public static final String TAG = "k8s";

  private static LocalControlPlane instance;

  private final Path repoRoot;
  private final Path kubeconfig;
  private final Path binDir;

  private LocalControlPlane(Path repoRoot, Path kubeconfig) {
    this.repoRoot = repoRoot;
    this.kubeconfig = kubeconfig;
    this.binDir = Path.of(run(repoRoot, List.of("bash", "-c", "source scripts/control-plane/common.sh && echo $BIN_DIR"))
        .strip());
  }

  public static synchronized LocalControlPlane get() {
    if (instance == null) {
      instance = start(List.of("scripts/control-plane/start.sh"));
    }
    return instance;
  }

  /**
   * The plane with a real node (kubelet + containerd; {@code start.sh --node real}): started, or restarted with the
   * real node, if needed. Pods run there only in namespaces marked by {@link #realNodeNamespace}.
   */
  public static synchronized LocalControlPlane withRealNode() {
    if (instance == null || !instance.hasRealNode()) {
      instance = start(List.of("scripts/control-plane/start.sh", "--node", "real"));
    }
    return instance;
  }

  /** The name of the real node of {@code start.sh --node real}. */
  public static final String REAL_NODE = "real-node-0";

  public boolean hasRealNode() {
    return tryKubectl("get", "node", REAL_NODE, "-o", "name").exitCode() == 0;
  }

  /** Creates the namespaces if missing and marks them so that their pods run on the real node. */
  public void realNodeNamespace(String... namespaces) {
    List<String> cmd = new ArrayList<>(List.of("scripts/control-plane/real-namespace.sh"));
    cmd.addAll(List.of(namespaces));
    run(repoRoot, cmd);
  }

  private static LocalControlPlane start(List<String> command) {
    Path root = findRepoRoot();
    String out = run(root, command);
    String[] lines = out.strip().split("\\R");
    return new LocalControlPlane(root, Path.of(lines[lines.length - 1].strip()));
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public Path repoRoot() {
    return repoRoot;
  }

  /** A new client as the cluster admin. */
  public KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(config()).build();
  }

  /** The admin's client configuration (copy it to impersonate, e.g. a service account). */
  public Config config() {
    try {
      return Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Applies the CRDs of {@code file} (server-side, taking over conflicting fields) and returns once the API server
   * serves them. kubectl's wait is used because a just-created CRD may have no status or no conditions yet.
   */
  public void installCrds(Path file) {
    kubectl("apply", "--server-side", "--force-conflicts", "-f", file.toString());
    kubectl("wait", "--for=condition=Established", "--timeout=60s", "-f", file.toString());
  }

  /** The project's own CRD, {@code crds/reliabletxpipelines.reliabletx.io-v1.yml}, installed and established. */
  public void installPipelineCrd() {
    installCrds(repoRoot.resolve("crds/reliabletxpipelines.reliabletx.io-v1.yml"));
  }

  /** Runs kubectl against the plane; returns its output, throws with the output when it fails. */
  public String kubectl(String... args) {
    return tool("kubectl", args);
  }

  public String helm(String... args) {
    return tool("helm", args);
  }

  /** Runs kubectl and returns exit code and output, for commands that are expected to fail. */
  public Result tryKubectl(String... args) {
    List<String> cmd = new ArrayList<>(List.of(binDir.resolve("kubectl").toString(), "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    return exec(repoRoot, cmd);
  }

  public record Result(int exitCode, String output) {
  }

  private String tool(String name, String... args) {
    List<String> cmd = new ArrayList<>(List.of(binDir.resolve(name).toString(), "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    Result r = exec(repoRoot, cmd);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(name + " " + String.join(" ", args) + " failed (" + r.exitCode() + "):\n" + r.output());
    }
    return r.output();
  }

  private static String run(Path dir, List<String> cmd) {
    Result r = exec(dir, cmd);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed (" + r.exitCode() + "):\n" + r.output());
    }
    return r.output();
  }

  private static Result exec(Path dir, List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(false).start();
      byte[] err;
      byte[] out = p.getInputStream().readAllBytes();
      err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(cmd + " timed out");
      }
      String output = new String(out, StandardCharsets.UTF_8);
      String errors = new String(err, StandardCharsets.UTF_8);
      return new Result(p.exitValue(), p.exitValue() == 0 ? output : output + errors);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path findRepoRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isExecutable(dir.resolve("scripts/control-plane/start.sh"))) {
        return dir;
      }
    }
    throw new IllegalStateException("scripts/control-plane/start.sh not found above " + Path.of("").toAbsolutePath());
  }
}
