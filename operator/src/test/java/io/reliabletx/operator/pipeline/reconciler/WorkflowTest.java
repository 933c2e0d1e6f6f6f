package io.reliabletx.operator.pipeline.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.reliabletx.operator.Pipelines;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.Components;
import io.reliabletx.operator.pipeline.children.PipelineChildren;
import io.reliabletx.operator.pipeline.dependents.CredentialsDependent;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator's workflow keeps exactly the children pipeline-model describes: one dependent per child, under the
 * child's name, present under the same conditions, each wanting the object the model builds (the model's golden files
 * show those).
 */
class WorkflowTest {
  static final Dependent[] WORKFLOW = ReliableTxPipelineReconciler.class.getAnnotation(Workflow.class).dependents();

  /** What each dependent the workflow runs for {@code p} wants, by dependent name (what its desired() renders, once per reconcile). */
  static Map<String, HasMetadata> desired(ReliableTxPipeline p) throws Exception {
    Map<String, HasMetadata> objects = new LinkedHashMap<>();
    for (Dependent d : WORKFLOW) {
      if (!met(d.reconcilePrecondition(), p) || !met(d.activationCondition(), p)) {
        continue;
      }
      if (d.type() == CredentialsDependent.class) {
        objects.put(d.name(), null); // reads the existing Secret through the context; random values otherwise
        continue;
      }
      Method render = d.type().getDeclaredMethod("render", ReliableTxPipeline.class);
      render.setAccessible(true);
      objects.put(d.name(), (HasMetadata) render.invoke(d.type().getDeclaredConstructor().newInstance(), p));
    }
    return objects;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static boolean met(Class<? extends Condition> condition, ReliableTxPipeline p) throws Exception {
    // The conditions that decide whether a child exists read only the pipeline.
    return condition == Condition.class || condition.getDeclaredConstructor().newInstance().isMet(null, p, null);
  }

  static List<ReliableTxPipeline> pipelines() {
    ReliableTxPipeline withoutConsoleOrGeneratedSecret = Pipelines.example("custom.yaml", "shop");
    withoutConsoleOrGeneratedSecret.getSpec().getConsole().setEnabled(false);
    withoutConsoleOrGeneratedSecret.getSpec().getMysql().setExistingSecret("my-db");
    withoutConsoleOrGeneratedSecret.getSpec().getNetworkPolicy().setEnabled(false);
    return List.of(Pipelines.example("minimal.yaml", "shop"), Pipelines.example("custom.yaml", "shop"),
        withoutConsoleOrGeneratedSecret);
  }

  @Test
  void oneDependentPerChildInTheModelsOrder() {
    assertThat(Arrays.stream(WORKFLOW).map(Dependent::name).toList()).isEqualTo(PipelineChildren.names());
  }

  @Test
  void everyDependentWantsWhatTheModelBuilds() throws Exception {
    for (ReliableTxPipeline p : pipelines()) {
      Map<String, HasMetadata> operator = desired(p);
      Map<String, HasMetadata> model = PipelineChildren.of(p);
      assertThat(operator.keySet()).containsExactlyElementsOf(model.keySet());
      operator.forEach((name, object) -> {
        if (object != null) {
          assertThat(object).as(name).isEqualTo(model.get(name));
        }
      });
    }
  }

  /**
   * A dependent waits only for what it cannot work without: the topics Job for the name server and the broker to be
   * Ready (the admin program needs them); the services' Deployments for MySQL (they create their schema at startup and exit
   * without it) and the topics Job (their RocketMQ users and topics); every other child is created in the first
   * reconcile (the broker and MySQL follow their ConfigMaps, which have no ready condition).
   */
  @Test
  void onlyTheTopicsJobAndTheServicesWaitForAnotherChildToBeReady() {
    Map<String, Dependent> byName = new LinkedHashMap<>();
    Arrays.stream(WORKFLOW).forEach(d -> byName.put(d.name(), d));
    Map<String, List<String>> waitsForReady = new LinkedHashMap<>();
    for (Dependent d : WORKFLOW) {
      List<String> ready = Arrays.stream(d.dependsOn())
          .filter(n -> byName.get(n).readyPostcondition() != Condition.class).toList();
      if (!ready.isEmpty()) {
        waitsForReady.put(d.name(), ready);
      }
    }
    assertThat(waitsForReady).containsOnly(
        Map.entry(PipelineChildren.TOPICS, List.of(PipelineChildren.NAMESRV, PipelineChildren.BROKER)),
        Map.entry(PipelineChildren.ORDER, List.of(PipelineChildren.TOPICS, PipelineChildren.MYSQL)),
        Map.entry(PipelineChildren.STOCK, List.of(PipelineChildren.TOPICS, PipelineChildren.MYSQL)));
  }

  @Test
  void theConditionsAreListedPerComponentInTheWorkflowsOrder() {
    assertThat(ReliableTxPipelineReconciler.COMPONENTS.keySet()).containsExactly(Components.NAME_SERVER,
        Components.BROKER, Components.TOPICS, Components.CONSOLE, Components.MYSQL, Components.ORDER, Components.STOCK);
    assertThat(ReliableTxPipelineReconciler.COMPONENTS.get(Components.MYSQL)).hasSize(5).contains(CredentialsDependent.class);
  }
}
