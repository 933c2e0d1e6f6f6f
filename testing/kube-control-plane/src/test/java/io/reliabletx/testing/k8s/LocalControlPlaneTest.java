package io.reliabletx.testing.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a mock server cannot do, done for real by the local control plane. */
@Tag(LocalControlPlane.TAG)
@ExtendWith(ControlPlaneExtension.class)
class LocalControlPlaneTest {

  @Test
  void runsWorkloadsOnFakeNodesAppliesServerSideValidatesWithCelAndCollectsGarbage(KubernetesClient client,
                                                                                 LocalControlPlane plane) {
    String ns = "cp-test-" + UUID.randomUUID().toString().substring(0, 8);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    try {
      // A Deployment's pod becomes Ready on the kwok node.
      Deployment web = new DeploymentBuilder().withNewMetadata().withName("web").withNamespace(ns).endMetadata()
          .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "web").endSelector()
          .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
          .addNewContainer().withName("web").withImage("nginx:1").endContainer().endSpec().endTemplate().endSpec().build();
      client.resource(web).serverSideApply();
      await().atMost(Duration.ofSeconds(90)).until(() -> {
        Deployment d = client.apps().deployments().inNamespace(ns).withName("web").get();
        return d.getStatus() != null && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas());
      });

      // A StatefulSet with a volume claim gets its claim bound and its pod Ready.
      StatefulSet db = new StatefulSetBuilder().withNewMetadata().withName("db").withNamespace(ns).endMetadata()
          .withNewSpec().withReplicas(1).withServiceName("db").withNewSelector().addToMatchLabels("app", "db")
          .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "db").endMetadata().withNewSpec()
          .addNewContainer().withName("db").withImage("mysql:8.4").addNewVolumeMount().withName("data")
          .withMountPath("/var/lib/mysql").endVolumeMount().endContainer().endSpec().endTemplate()
          .addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata().withNewSpec()
          .withAccessModes("ReadWriteOnce").withNewResources().addToRequests("storage",
              new io.fabric8.kubernetes.api.model.Quantity("1Gi")).endResources().endSpec().endVolumeClaimTemplate()
          .endSpec().build();
      client.resource(db).serverSideApply();
      await().atMost(Duration.ofSeconds(90)).until(() -> {
        StatefulSet s = client.apps().statefulSets().inNamespace(ns).withName("db").get();
        return s.getStatus() != null && Integer.valueOf(1).equals(s.getStatus().getReadyReplicas());
      });
      assertThat(client.persistentVolumeClaims().inNamespace(ns).withName("data-db-0").get().getStatus().getPhase())
          .isEqualTo("Bound");

      // Server-side apply keeps managed fields per field manager.
      ConfigMap owner = client.resource(new ConfigMapBuilder().withNewMetadata().withName("owner").withNamespace(ns)
          .endMetadata().addToData("a", "1").build()).serverSideApply();
      assertThat(owner.getMetadata().getManagedFields()).isNotEmpty();

      // Garbage collection: an owned ConfigMap goes when its owner goes.
      client.resource(new ConfigMapBuilder().withNewMetadata().withName("child").withNamespace(ns)
          .addNewOwnerReference().withApiVersion("v1").withKind("ConfigMap").withName("owner")
          .withUid(owner.getMetadata().getUid()).endOwnerReference().endMetadata().build()).create();
      client.configMaps().inNamespace(ns).withName("owner").delete();
      await().atMost(Duration.ofSeconds(60))
          .until(() -> client.configMaps().inNamespace(ns).withName("child").get() == null);

      assertThat(plane.kubectl("get", "pods", "-n", ns, "-o", "name")).contains("pod/db-0");
    } finally {
      client.namespaces().withName(ns).delete();
    }
  }

  @Test
  void celRulesOfACrdAreEnforcedByTheApiServer(KubernetesClient client, LocalControlPlane plane) throws Exception {
    java.nio.file.Path crd = java.nio.file.Files.createTempFile("widgets", ".yaml");
    crd.toFile().deleteOnExit(); // else one file per run piles up in /tmp
    java.nio.file.Files.writeString(crd, """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.test.reliabletx.io}
        spec:
          group: test.reliabletx.io
          names: {kind: Widget, plural: widgets, singular: widget}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    x-kubernetes-validations:
                    - rule: self.min <= self.max
                      message: min must not exceed max
                    properties:
                      min: {type: integer}
                      max: {type: integer}
        """);
    plane.kubectl("apply", "-f", crd.toString());
    plane.kubectl("wait", "--for=condition=Established", "crd/widgets.test.reliabletx.io", "--timeout=60s");
    GenericKubernetesResource bad = new GenericKubernetesResource();
    bad.setApiVersion("test.reliabletx.io/v1");
    bad.setKind("Widget");
    bad.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("bad").withNamespace("default").build());
    bad.setAdditionalProperty("spec", Map.of("min", 5, "max", 1));
    try {
      client.resource(bad).create();
      throw new AssertionError("the API server accepted a Widget with min > max");
    } catch (KubernetesClientException e) {
      assertThat(e.getCode()).isEqualTo(422);
      assertThat(e.getMessage()).contains("min must not exceed max");
    }
  }
}
