package io.reliabletx.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.reliabletx.operator.OperatorMain;
import io.reliabletx.operator.Pipelines;
import io.reliabletx.operator.bench.OperatorProcess.RequestCounter;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.PipelineChildren;
import io.reliabletx.operator.pipeline.status.PipelineConditions;
import io.reliabletx.testing.k8s.LocalControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The API writes the operator sends for one pipeline from apply to Ready, counted by its own client on the real API
 * server (kwok node): each child applied once, the status written when the pipeline is first seen and when it is
 * Ready (progress in between at most every 30 s), one Event per transition: at most 1.2 writes per child in all
 * (issue 15). Then none while nothing changes.
 */
@Tag(LocalControlPlane.TAG)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorWritesOnControlPlaneTest {
  KubernetesClient admin;
  OperatorMain operator;
  RequestCounter counter = new RequestCounter();
  String ns;

  @BeforeAll
  void start() throws Exception {
    LocalControlPlane plane = LocalControlPlane.get();
    admin = plane.client();
    plane.installPipelineCrd();
    ns = "rtp-writes-" + Long.toString(System.currentTimeMillis(), 36);
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    KubernetesClient counted = new KubernetesClientBuilder().withConfig(plane.config())
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("count", counter)).build();
    operator = new OperatorMain(counted, Set.of(ns), null);
    operator.start();
  }

  @AfterAll
  void stop() {
    if (operator != null) {
      operator.stop();
    }
    if (admin != null && ns != null) {
      admin.namespaces().withName(ns).delete();
    }
  }

  @Test
  void onePipelineCostsAtMostOnePointTwoWritesPerChildAndNoneWhenQuiet() throws Exception {
    Thread.sleep(2000);
    counter.snapshotAndReset(); // the informers' lists and watches
    ReliableTxPipeline p = Pipelines.defaults("one", ns);
    Map<String, HasMetadata> children = PipelineChildren.of(p);
    long t0 = System.nanoTime();
    admin.resource(p).create();
    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100)).until(() -> {
      ReliableTxPipeline r = admin.resources(ReliableTxPipeline.class).inNamespace(ns).withName("one").get();
      var ready = r == null || r.getStatus() == null ? null
          : PipelineConditions.find(r.getStatus().getConditions(), PipelineConditions.READY);
      return ready != null && "True".equals(ready.getStatus());
    });
    long toReady = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
    Thread.sleep(3000); // anything still on its way
    Map<String, Long> requests = counter.snapshotAndReset();
    long writes = writes(requests);
    System.out.printf("[measure] one pipeline (%d children) Ready in %d s with %s: %d writes, %.2f per child%n",
        children.size(), toReady, requests, writes, writes / (double) children.size());

    // Each child applied once (server-side apply: a PATCH); nothing re-applied that the API server defaulted.
    Map<String, Long> childrenByResource = children.values().stream()
        .collect(Collectors.groupingBy(o -> "PATCH " + plural(o), TreeMap::new, Collectors.counting()));
    Map<String, Long> childPatches = new TreeMap<>(requests);
    childPatches.keySet().removeIf(k -> !childrenByResource.containsKey(k));
    assertThat(childPatches).isEqualTo(childrenByResource);
    // The status when first seen and when Ready; progress in between at most every 30 s.
    assertThat(requests.getOrDefault("PATCH reliabletxpipelines/status", 0L)).isLessThanOrEqualTo(2 + toReady / 30);
    // PipelineNotReady when first seen, PipelineReady.
    assertThat(requests.getOrDefault("POST events", 0L)).isEqualTo(2);
    assertThat(writes).isLessThanOrEqualTo((long) Math.floor(1.2 * children.size()) + toReady / 30);

    Thread.sleep(10_000);
    assertThat(writes(counter.snapshotAndReset())).as("writes while nothing changes").isZero();
  }

  static long writes(Map<String, Long> requests) {
    return requests.entrySet().stream().filter(e -> RequestCounter.isWrite(e.getKey())).mapToLong(Map.Entry::getValue).sum();
  }

  static String plural(HasMetadata o) {
    return io.fabric8.kubernetes.api.model.HasMetadata.getPlural(o.getClass());
  }
}
