package io.reliabletx.e2e;

import io.reliabletx.testing.k8s.LocalControlPlane;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The operator as a user installs it on the real node, for one test class ({@code @RegisterExtension}): before the
 * tests this checkout's CRD applied server-side (Helm installs a chart's CRD only where there is none, as the README's
 * upgrade says), then {@code helm upgrade --install} of the chart into {@code system}, watching {@code apps}; both
 * namespaces run their pods on the real node under the "restricted" Pod Security Standard, which the API server itself
 * enforces. A failing test prints what a user would look at first; after the tests everything is deleted.
 */
final class OperatorRelease implements BeforeAllCallback, AfterAllCallback, TestExecutionExceptionHandler {
  private final String system;
  private final String apps;
  private final String release;
  private final String pipelineName;
  private LocalControlPlane plane;
  private RealNodePipeline pipeline;

  OperatorRelease(String system, String apps, String release, String pipelineName) {
    this.system = system;
    this.apps = apps;
    this.release = release;
    this.pipelineName = pipelineName;
  }

  LocalControlPlane plane() {
    return plane;
  }

  /** The pipeline the tests apply in {@code apps}. */
  RealNodePipeline pipeline() {
    return pipeline;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    plane = LocalControlPlane.withRealNode();
    pipeline = new RealNodePipeline(plane, apps, pipelineName);
    plane.realNodeNamespace(system, apps);
    plane.kubectl("label", "namespace", system, apps, "pod-security.kubernetes.io/enforce=restricted", "--overwrite");
    plane.kubectl("apply", "--server-side", "--force-conflicts", "-f",
        plane.repoRoot().resolve("crds/reliabletxpipelines.reliabletx.io-v1.yml").toString());
    plane.helm("upgrade", "--install", release, plane.repoRoot().resolve("helm/reliable-tx-operator").toString(),
        "--namespace", system, "--set", "watchNamespaces={" + apps + "}", "--wait", "--timeout", "5m");
  }

  /** Pipelines first (their children go by owner references), then both namespaces. */
  @Override
  public void afterAll(ExtensionContext context) {
    if (plane != null) {
      plane.tryKubectl("delete", "rtp", "--all", "-n", apps, "--wait=true", "--timeout=120s");
      plane.tryKubectl("delete", "namespace", apps, "--wait=true", "--timeout=120s");
      plane.tryKubectl("delete", "namespace", system, "--wait=true", "--timeout=120s");
    }
    if (pipeline != null) {
      pipeline.client().close();
    }
  }

  /** The pipeline's conditions, the pods, the operator's last words. */
  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    System.out.println("[" + context.getRequiredTestClass().getSimpleName() + "] FAILED; state of the cluster:\n"
        + plane.tryKubectl("get", "rtp,pods,pvc,pdb", "-n", apps, "-o", "wide").output()
        + plane.tryKubectl("get", "rtp", pipelineName, "-n", apps, "-o", "jsonpath={.status.conditions}").output()
        + "\n" + plane.tryKubectl("logs", "-n", system, "deploy/" + release + "-reliable-tx-operator", "--tail=40")
            .output());
    throw failure;
  }
}
