package io.reliabletx.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.reliabletx.operator.OperatorMain;
import io.reliabletx.operator.Pipelines;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.Broker;
import io.reliabletx.operator.pipeline.status.PipelineConditions;
import io.reliabletx.testing.k8s.LocalControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A child that exists, controlled by its pipeline, but that the operator's informer has not seen when it reconciles:
 * the create-only apply is answered 409, and the operator takes the child as existing (and applies what it wants to it)
 * instead of failing the pipeline and retrying the same create with backoff. Here the informer cannot see the Service
 * because it lacks the label the informers select on; at 50-200 pipelines the same happens when the answer to a
 * create is lost and the client retries it.
 */
@Tag(LocalControlPlane.TAG)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChildExistingBeforeItsCreateTest {
  KubernetesClient admin;
  OperatorMain operator;
  String ns;

  @BeforeAll
  void start() throws Exception {
    LocalControlPlane plane = LocalControlPlane.get();
    admin = plane.client();
    CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions()
        .load(Path.of(System.getProperty("crds.dir", "../crds"), "reliabletxpipelines.reliabletx.io-v1.yml").toFile())
        .item();
    admin.apiextensions().v1().customResourceDefinitions().resource(crd).forceConflicts().serverSideApply();
    admin.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
        .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions().stream()
            .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())), 60, TimeUnit.SECONDS);
    ns = "rtp-exists-" + Long.toString(System.currentTimeMillis(), 36);
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
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
  void aChildTheInformerHasNotSeenIsTakenAsCreatedNotAFailure() {
    ReliableTxPipeline p = admin.resource(Pipelines.defaults("adopt", ns)).create();
    Service unseen = Broker.service(p);
    unseen.getMetadata().getLabels().remove(PipelineNames.MANAGED_BY_LABEL);
    unseen.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion(p.getApiVersion())
        .withKind(p.getKind()).withName(p.getMetadata().getName()).withUid(p.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true).build()));
    String uid = admin.resource(unseen).create().getMetadata().getUid();

    operator = new OperatorMain(new KubernetesClientBuilder().withConfig(LocalControlPlane.get().config()).build(),
        Set.of(ns), null);
    operator.start();

    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).until(() -> {
      ReliableTxPipeline r = admin.resources(ReliableTxPipeline.class).inNamespace(ns).withName("adopt").get();
      var ready = r.getStatus() == null ? null
          : PipelineConditions.find(r.getStatus().getConditions(), PipelineConditions.READY);
      return ready != null && "True".equals(ready.getStatus());
    });
    Service broker = admin.services().inNamespace(ns).withName(unseen.getMetadata().getName()).get();
    assertThat(broker.getMetadata().getLabels()).as("applied by the operator")
        .containsEntry(PipelineNames.MANAGED_BY_LABEL, PipelineNames.MANAGED_BY);
    assertThat(broker.getMetadata().getUid()).as("the same Service, not re-created").isEqualTo(uid);
    assertThat(admin.v1().events().inNamespace(ns).list().getItems())
        .filteredOn(e -> "ReliableTxPipeline".equals(e.getInvolvedObject().getKind()))
        .as("no failed reconcile on the way").noneMatch(e -> "Warning".equals(e.getType()));
  }
}
