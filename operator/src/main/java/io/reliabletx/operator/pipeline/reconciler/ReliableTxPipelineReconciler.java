package io.reliabletx.operator.pipeline.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.dependents.*;
import io.reliabletx.operator.pipeline.status.PipelineConditions;
import io.reliabletx.operator.pipeline.status.ReliableTxPipelineStatus;
import io.reliabletx.operator.pipeline.status.ReliableTxPipelineStatus.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Wires the workflow of dependents; then reports what it found in the status and as Events. */
@ControllerConfiguration(name = "reliabletxpipeline")
@Workflow(dependents = {
    @Dependent(name = ReliableTxPipelineReconciler.NAMESRV_SVC, type = NameServerServiceDependent.class),
    @Dependent(name = ReliableTxPipelineReconciler.NAMESRV, type = NameServerDependent.class,
        readyPostcondition = ReadyWhen.StatefulSetReady.class),
    @Dependent(name = ReliableTxPipelineReconciler.BROKER_CONFIG, type = BrokerConfigDependent.class),
    @Dependent(name = ReliableTxPipelineReconciler.BROKER_SVC, type = BrokerServiceDependent.class),
    @Dependent(name = ReliableTxPipelineReconciler.BROKER, type = BrokerDependent.class,
        dependsOn = ReliableTxPipelineReconciler.BROKER_CONFIG, readyPostcondition = ReadyWhen.StatefulSetReady.class),
    @Dependent(name = ReliableTxPipelineReconciler.TOPICS, type = TopicsJobDependent.class,
        dependsOn = {ReliableTxPipelineReconciler.NAMESRV, ReliableTxPipelineReconciler.BROKER},
        readyPostcondition = ReadyWhen.JobSucceeded.class),
    @Dependent(name = ReliableTxPipelineReconciler.CONSOLE, type = ConsoleDependent.class,
        activationCondition = ReadyWhen.ConsoleEnabled.class, readyPostcondition = ReadyWhen.DeploymentReady.class),
    @Dependent(name = ReliableTxPipelineReconciler.CONSOLE_SVC, type = ConsoleServiceDependent.class,
        activationCondition = ReadyWhen.ConsoleEnabled.class),
    @Dependent(name = ReliableTxPipelineReconciler.CREDENTIALS, type = CredentialsDependent.class,
        activationCondition = ReadyWhen.CredentialsGenerated.class),
    @Dependent(name = ReliableTxPipelineReconciler.MYSQL_INIT, type = MysqlInitDependent.class),
    @Dependent(name = ReliableTxPipelineReconciler.MYSQL_SVC, type = MysqlServiceDependent.class),
    @Dependent(name = ReliableTxPipelineReconciler.MYSQL, type = MysqlDependent.class,
        dependsOn = ReliableTxPipelineReconciler.MYSQL_INIT, readyPostcondition = ReadyWhen.StatefulSetReady.class),
    @Dependent(name = ReliableTxPipelineReconciler.ORDER, type = OrderDeploymentDependent.class,
        dependsOn = {ReliableTxPipelineReconciler.TOPICS, ReliableTxPipelineReconciler.MYSQL},
        readyPostcondition = ReadyWhen.DeploymentReady.class),
    @Dependent(name = ReliableTxPipelineReconciler.ORDER_SVC, type = OrderServiceDependent.class),
    @Dependent(name = ReliableTxPipelineReconciler.STOCK, type = StockDeploymentDependent.class,
        dependsOn = {ReliableTxPipelineReconciler.TOPICS, ReliableTxPipelineReconciler.MYSQL},
        readyPostcondition = ReadyWhen.DeploymentReady.class),
    @Dependent(name = ReliableTxPipelineReconciler.STOCK_SVC, type = StockServiceDependent.class),
})
public class ReliableTxPipelineReconciler implements Reconciler<ReliableTxPipeline> {
  static final String NAMESRV_SVC = "namesrv-service";
  static final String NAMESRV = "namesrv";
  static final String BROKER_CONFIG = "broker-config";
  static final String BROKER_SVC = "broker-service";
  static final String BROKER = "broker";
  static final String TOPICS = "topics";
  static final String CONSOLE = "console";
  static final String CONSOLE_SVC = "console-service";
  static final String CREDENTIALS = "credentials";
  static final String MYSQL_INIT = "mysql-init";
  static final String MYSQL_SVC = "mysql-service";
  static final String MYSQL = "mysql";
  static final String ORDER = "order";
  static final String ORDER_SVC = "order-service";
  static final String STOCK = "stock";
  static final String STOCK_SVC = "stock-service";

  /** Which dependents make up each component's condition, in the order the conditions are listed. */
  static final Map<String, List<Class<?>>> COMPONENTS = new LinkedHashMap<>();

  static {
    COMPONENTS.put(Components.NAME_SERVER, List.of(NameServerServiceDependent.class, NameServerDependent.class));
    COMPONENTS.put(Components.BROKER,
        List.of(BrokerConfigDependent.class, BrokerServiceDependent.class, BrokerDependent.class));
    COMPONENTS.put(Components.TOPICS, List.of(TopicsJobDependent.class));
    COMPONENTS.put(Components.CONSOLE, List.of(ConsoleDependent.class, ConsoleServiceDependent.class));
    COMPONENTS.put(Components.MYSQL, List.of(MysqlInitDependent.class, MysqlServiceDependent.class, MysqlDependent.class));
    COMPONENTS.put(Components.ORDER, List.of(OrderDeploymentDependent.class, OrderServiceDependent.class));
    COMPONENTS.put(Components.STOCK, List.of(StockDeploymentDependent.class, StockServiceDependent.class));
  }

  private final PipelineEvents events;

  public ReliableTxPipelineReconciler(PipelineEvents events) {
    this.events = events;
  }

  @Override
  public UpdateControl<ReliableTxPipeline> reconcile(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    WorkflowReconcileResult result =
        context.managedWorkflowAndDependentResourceContext().getWorkflowReconcileResult().orElseThrow();
    Set<Class<?>> reconciled = classes(result.getReconciledDependents());
    Set<Class<?>> notReady = classes(result.getNotReadyDependents());
    Set<Class<?>> errored = classes(new ArrayList<>(result.getErroredDependents().keySet()));
    Long generation = primary.getMetadata().getGeneration();

    List<Condition> conditions = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    boolean anyError = false;
    for (Map.Entry<String, List<Class<?>>> component : COMPONENTS.entrySet()) {
      String type = component.getKey();
      if (type.equals(Components.CONSOLE) && !primary.getSpec().getConsole().isEnabled()) {
        conditions.add(PipelineConditions.condition(type, true, "Disabled", "console disabled in the spec", generation));
        continue;
      }
      List<Class<?>> parts = component.getValue();
      if (parts.stream().anyMatch(errored::contains)) {
        anyError = true;
        waiting.add(type);
        conditions.add(PipelineConditions.condition(type, false, "ReconcileError",
            "applying " + type + " failed: " + errorMessage(result, parts), generation));
      } else if (!reconciled.containsAll(parts)) {
        waiting.add(type);
        conditions.add(PipelineConditions.condition(type, false, "WaitingForDependencies",
            type + " waits for the components it depends on", generation));
      } else if (parts.stream().anyMatch(notReady::contains)) {
        waiting.add(type);
        conditions.add(PipelineConditions.condition(type, false, "NotReady",
            type + " is applied; its pods are not ready yet", generation));
      } else {
        conditions.add(PipelineConditions.condition(type, true, "Ready", type + " is ready", generation));
      }
    }
    boolean ready = waiting.isEmpty();
    conditions.add(0, ready
        ? PipelineConditions.condition(PipelineConditions.READY, true, "AllComponentsReady",
            "all components are ready", generation)
        : PipelineConditions.condition(PipelineConditions.READY, false, anyError ? "ComponentFailed" : "ComponentsNotReady",
            "not ready: " + String.join(", ", waiting), generation));

    Phase phase = anyError ? Phase.Failed : ready ? Phase.Ready : reconciled.isEmpty() ? Phase.Pending : Phase.Provisioning;
    ReliableTxPipelineStatus previous = primary.getStatus();
    ReliableTxPipelineStatus status = StatusFactory.status(primary, phase,
        PipelineConditions.merge(previous == null ? null : previous.getConditions(), conditions, Instant.now()));
    events.onTransition(primary, previous, status);

    ReliableTxPipeline patch = new ReliableTxPipeline();
    patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withName(primary.getMetadata().getName()).withNamespace(primary.getMetadata().getNamespace()).build());
    patch.setStatus(status);
    UpdateControl<ReliableTxPipeline> control = UpdateControl.patchStatus(patch);
    // Readiness changes arrive as events of the children; this is a safety net for missed ones.
    return ready ? control : control.rescheduleAfter(30, TimeUnit.SECONDS);
  }

  @Override
  public ErrorStatusUpdateControl<ReliableTxPipeline> updateErrorStatus(ReliableTxPipeline primary,
      Context<ReliableTxPipeline> context, Exception e) {
    ReliableTxPipelineStatus previous = primary.getStatus();
    Long generation = primary.getMetadata().getGeneration();
    String message = PipelineEvents.describe(e);
    List<Condition> conditions = new ArrayList<>(previous == null ? List.of() : previous.getConditions());
    conditions.removeIf(c -> PipelineConditions.READY.equals(c.getType()));
    conditions.add(0, PipelineConditions.condition(PipelineConditions.READY, false, "ReconcileError", message, generation));
    ReliableTxPipelineStatus status = StatusFactory.status(primary, Phase.Failed,
        PipelineConditions.merge(previous == null ? null : previous.getConditions(), conditions, Instant.now()));
    events.onError(primary, message);
    ReliableTxPipeline patch = new ReliableTxPipeline();
    patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withName(primary.getMetadata().getName()).withNamespace(primary.getMetadata().getNamespace()).build());
    patch.setStatus(status);
    return ErrorStatusUpdateControl.patchStatus(patch);
  }

  private static Set<Class<?>> classes(List<DependentResource> dependents) {
    return dependents.stream().map(d -> (Class<?>) d.getClass()).collect(Collectors.toSet());
  }

  private static String errorMessage(WorkflowReconcileResult result, List<Class<?>> parts) {
    return result.getErroredDependents().entrySet().stream()
        .filter(e -> parts.contains(e.getKey().getClass()))
        .map(e -> PipelineEvents.describe(e.getValue()))
        .findFirst().orElse("unknown error");
  }

  /** Names of the children, for users of the status. */
  static PipelineNames names(ReliableTxPipeline p) {
    return new PipelineNames(p);
  }
}
