package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.PipelineChildren;
import io.reliabletx.operator.pipeline.spec.Heap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each component's resources and pod template reach its pods; without resources, defaults sized for its heap. */
class PodSettingsTest {
  /** Every component's spec field, by the pod template's app.kubernetes.io/component label. */
  static final Map<String, String> COMPONENT_FIELDS = Map.of("nameserver", "nameServer", "broker", "broker",
      "console", "console", "mysql", "mysql", "orderservice", "order", "stockservice", "stock", "topics", "topicsJob");

  static final String TEMPLATE = """
        resources: {requests: {cpu: 300m, memory: 3Gi}, limits: {cpu: "2", memory: 3Gi}}
        template:
          labels: {team: payments}
          annotations: {example.com/scrape: "no"}
          nodeSelector: {disktype: ssd}
          tolerations: [{key: dedicated, operator: Equal, value: mq, effect: NoSchedule}]
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [a, b]}]}]
          topologySpreadConstraints:
            - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway}
          priorityClassName: high
          imagePullSecrets: [{name: regcred}]
          imagePullPolicy: Always
      """;

  /** The pod templates of every workload of {@code p}, by component label. */
  static Map<String, PodTemplateSpec> podTemplates(ReliableTxPipeline p) {
    Map<String, PodTemplateSpec> templates = new LinkedHashMap<>();
    for (HasMetadata o : PipelineChildren.of(p).values()) {
      PodTemplateSpec t = o instanceof StatefulSet s ? s.getSpec().getTemplate()
          : o instanceof Deployment d ? d.getSpec().getTemplate()
          : o instanceof Job j ? j.getSpec().getTemplate() : null;
      if (t != null) {
        templates.put(t.getMetadata().getLabels().get("app.kubernetes.io/component"), t);
      }
    }
    return templates;
  }

  static ReliableTxPipeline withTemplateOnEveryComponent() {
    StringBuilder yaml = new StringBuilder("""
        apiVersion: reliabletx.io/v1alpha1
        kind: ReliableTxPipeline
        metadata: {name: shaped, namespace: shop}
        spec:
        """);
    for (String field : COMPONENT_FIELDS.values()) {
      yaml.append("  ").append(field).append(":\n").append(TEMPLATE.indent(2));
    }
    return Serialization.unmarshal(yaml.toString(), ReliableTxPipeline.class);
  }

  @Test
  void theTemplateAndResourcesReachEveryPod() {
    Map<String, PodTemplateSpec> templates = podTemplates(withTemplateOnEveryComponent());
    assertThat(templates.keySet()).containsExactlyInAnyOrderElementsOf(COMPONENT_FIELDS.keySet());
    templates.forEach((component, t) -> {
      var pod = t.getSpec();
      assertThat(t.getMetadata().getLabels()).as(component).containsEntry("team", "payments")
          .containsEntry("app.kubernetes.io/component", component);
      assertThat(t.getMetadata().getAnnotations()).as(component).containsEntry("example.com/scrape", "no");
      assertThat(pod.getNodeSelector()).as(component).isEqualTo(Map.of("disktype", "ssd"));
      assertThat(pod.getTolerations()).as(component).singleElement()
          .satisfies(x -> assertThat(x.getKey()).isEqualTo("dedicated"));
      assertThat(pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
          .getNodeSelectorTerms().get(0).getMatchExpressions().get(0).getValues()).as(component).containsExactly("a", "b");
      assertThat(pod.getTopologySpreadConstraints()).as(component).singleElement()
          .satisfies(x -> assertThat(x.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone"));
      assertThat(pod.getPriorityClassName()).as(component).isEqualTo("high");
      assertThat(pod.getImagePullSecrets()).as(component).singleElement()
          .satisfies(x -> assertThat(x.getName()).isEqualTo("regcred"));
      var container = pod.getContainers().get(0);
      assertThat(container.getImagePullPolicy()).as(component).isEqualTo("Always");
      assertThat(container.getResources().getLimits()).as(component)
          .containsEntry("cpu", new Quantity("2")).containsEntry("memory", new Quantity("3Gi"));
      assertThat(container.getResources().getRequests()).as(component).containsEntry("cpu", new Quantity("300m"));
    });
  }

  @Test
  void extraLabelsNeverReplaceTheOperatorsOwn() {
    ReliableTxPipeline p = withTemplateOnEveryComponent();
    p.getSpec().getBroker().getTemplate().setLabels(Map.of("app.kubernetes.io/instance", "other", "team", "x"));
    var labels = podTemplates(p).get("broker").getMetadata().getLabels();
    assertThat(labels).containsEntry("app.kubernetes.io/instance", "shaped").containsEntry("team", "x");
    assertThat(podTemplates(p).get("broker").getMetadata().getAnnotations())
        .as("the config hash is kept beside the template's annotations")
        .containsKey(PipelineNames.CONFIG_HASH_ANNOTATION).containsEntry("example.com/scrape", "no");
  }

  @Test
  void everyPodHasDefaultRequestsAndAMemoryLimitAboveItsHeap() {
    for (String example : List.of("minimal.yaml", "custom.yaml", "local.yaml")) {
      ReliableTxPipeline p = Pipelines.example(example, "shop");
      Map<String, PodTemplateSpec> templates = podTemplates(p);
      assertThat(templates.keySet()).as(example).containsAll(
          List.of("nameserver", "broker", "mysql", "orderservice", "stockservice", "topics"));
      templates.forEach((component, t) -> {
        ResourceRequirements r = t.getSpec().getContainers().get(0).getResources();
        assertThat(r.getRequests()).as(example + " " + component).containsKeys("cpu", "memory");
        assertThat(r.getLimits()).as(example + " " + component).containsKey("memory").doesNotContainKey("cpu");
        assertThat(r.getLimits().get("memory")).as("memory request = limit").isEqualTo(r.getRequests().get("memory"));
      });
      assertThat(mebibytes(templates.get("nameserver")))
          .isEqualTo(Heap.mebibytes(p.getSpec().getNameServer().getHeapSize()) + 256);
      assertThat(mebibytes(templates.get("broker")))
          .isEqualTo(2 * Heap.mebibytes(p.getSpec().getBroker().getHeapSize()) + 512);
    }
  }

  static long mebibytes(PodTemplateSpec t) {
    return Quantity.getAmountInBytes(t.getSpec().getContainers().get(0).getResources().getLimits().get("memory"))
        .longValue() / (1024 * 1024);
  }

  @Test
  void heapSizesReadAsTheJvmReadsThem() {
    assertThat(Heap.mebibytes("512m")).isEqualTo(512);
    assertThat(Heap.mebibytes("2G")).isEqualTo(2048);
    assertThat(Heap.mebibytes("1g")).isEqualTo(1024);
  }
}
