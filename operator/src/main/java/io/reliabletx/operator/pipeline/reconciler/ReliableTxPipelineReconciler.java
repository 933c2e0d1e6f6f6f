package io.reliabletx.operator.pipeline.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.Components;
import io.reliabletx.operator.pipeline.children.PipelineChildren;
import io.reliabletx.operator.pipeline.children.TopicsJob;
import io.reliabletx.operator.pipeline.dependents.*;
import io.reliabletx.operator.pipeline.status.PipelineConditions;
import io.reliabletx.operator.pipeline.status.PipelineStatus;
import io.reliabletx.operator.pipeline.status.ReliableTxPipelineStatus;
import io.reliabletx.operator.pipeline.status.ReliableTxPipelineStatus.Phase;
import java.time.Clock;
import java.time.Duration;
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
// Retried without limit (a pipeline never stays Failed because retries ran out), at most every 2 minutes.
@GradualRetry(maxAttempts = -1, initialInterval = 2000, intervalMultiplier = 2, maxInterval = 120_000)
// Dependents' errors come to reconcile() in the workflow result, so the status names the failing component.
// One informer per kind: the first dependent of a kind (namesrv-service, namesrv, broker-config, order) owns it and
// the others of that kind use it by that dependent's name; each still finds its own object by name.
// (namesrv-network-policy owns the NetworkPolicies' informer.)
@Workflow(handleExceptionsInReconciler = true, dependents = {
    @Dependent(name = PipelineChildren.NAMESRV_SVC, type = NameServerServiceDependent.class),
    // NetworkPolicies: a precondition, like the console's, so that switching them off deletes them.
    @Dependent(name = PipelineChildren.NAMESRV_NETPOL, type = NameServerNetworkPolicyDependent.class,
        reconcilePrecondition = ReadyWhen.NetworkPoliciesEnabled.class),
    @Dependent(name = PipelineChildren.NAMESRV, type = NameServerDependent.class,
        readyPostcondition = ReadyWhen.StatefulSetReady.class),
    @Dependent(name = PipelineChildren.BROKER_CONFIG, type = BrokerConfigDependent.class),
    @Dependent(name = PipelineChildren.BROKER_SVC, type = BrokerServiceDependent.class,
        useEventSourceWithName = PipelineChildren.NAMESRV_SVC),
    @Dependent(name = PipelineChildren.BROKER_NETPOL, type = BrokerNetworkPolicyDependent.class,
        reconcilePrecondition = ReadyWhen.NetworkPoliciesEnabled.class,
        useEventSourceWithName = PipelineChildren.NAMESRV_NETPOL),
    @Dependent(name = PipelineChildren.BROKER, type = BrokerDependent.class,
        dependsOn = PipelineChildren.BROKER_CONFIG, readyPostcondition = ReadyWhen.StatefulSetReady.class,
        useEventSourceWithName = PipelineChildren.NAMESRV),
    @Dependent(name = PipelineChildren.BROKER_PDB, type = BrokerDisruptionBudgetDependent.class),
    // The one child created only once others are Ready: the admin program needs the name server and the broker up (a Job pod
    // that ran before would spend the Job's backoff).
    @Dependent(name = PipelineChildren.TOPICS, type = TopicsJobDependent.class,
        dependsOn = {PipelineChildren.NAMESRV, PipelineChildren.BROKER},
        readyPostcondition = ReadyWhen.JobSucceeded.class),
    // A precondition, not an activation condition: when it turns false JOSDK deletes the console (an inactive
    // dependent is only left alone).
    @Dependent(name = PipelineChildren.CONSOLE, type = ConsoleDependent.class,
        reconcilePrecondition = ReadyWhen.ConsoleEnabled.class, readyPostcondition = ReadyWhen.DeploymentReady.class,
        useEventSourceWithName = PipelineChildren.ORDER),
    @Dependent(name = PipelineChildren.CONSOLE_SVC, type = ConsoleServiceDependent.class,
        reconcilePrecondition = ReadyWhen.ConsoleEnabled.class, useEventSourceWithName = PipelineChildren.NAMESRV_SVC),
    @Dependent(name = PipelineChildren.CONSOLE_NETPOL, type = ConsoleNetworkPolicyDependent.class,
        reconcilePrecondition = ReadyWhen.ConsoleNetworkPolicyEnabled.class,
        useEventSourceWithName = PipelineChildren.NAMESRV_NETPOL),
    @Dependent(name = PipelineChildren.CREDENTIALS, type = CredentialsDependent.class,
        activationCondition = ReadyWhen.CredentialsGenerated.class),
    @Dependent(name = PipelineChildren.MYSQL_INIT, type = MysqlInitDependent.class,
        useEventSourceWithName = PipelineChildren.BROKER_CONFIG),
    @Dependent(name = PipelineChildren.MYSQL_SVC, type = MysqlServiceDependent.class,
        useEventSourceWithName = PipelineChildren.NAMESRV_SVC),
    @Dependent(name = PipelineChildren.MYSQL_NETPOL, type = MysqlNetworkPolicyDependent.class,
        reconcilePrecondition = ReadyWhen.NetworkPoliciesEnabled.class,
        useEventSourceWithName = PipelineChildren.NAMESRV_NETPOL),
    @Dependent(name = PipelineChildren.MYSQL, type = MysqlDependent.class,
        dependsOn = PipelineChildren.MYSQL_INIT, readyPostcondition = ReadyWhen.StatefulSetReady.class,
        useEventSourceWithName = PipelineChildren.NAMESRV),
    // The services' Deployments wait for MySQL and the topics Job: a service creates its schema at startup and exits
    // when the database does not answer (a crash loop with growing back-off on a real node), and before the Job its
    // RocketMQ user (ACL) and topics do not exist (a consumer would find the topic only at its next 30 s route poll).
    @Dependent(name = PipelineChildren.ORDER, type = OrderDeploymentDependent.class,
        dependsOn = {PipelineChildren.TOPICS, PipelineChildren.MYSQL},
        readyPostcondition = ReadyWhen.DeploymentReady.class),
    @Dependent(name = PipelineChildren.ORDER_SVC, type = OrderServiceDependent.class,
        useEventSourceWithName = PipelineChildren.NAMESRV_SVC),
    @Dependent(name = PipelineChildren.ORDER_NETPOL, type = OrderServiceNetworkPolicyDependent.class,
        reconcilePrecondition = ReadyWhen.NetworkPoliciesEnabled.class,
        useEventSourceWithName = PipelineChildren.NAMESRV_NETPOL),
    @Dependent(name = PipelineChildren.STOCK, type = StockDeploymentDependent.class,
        dependsOn = {PipelineChildren.TOPICS, PipelineChildren.MYSQL},
        readyPostcondition = ReadyWhen.DeploymentReady.class, useEventSourceWithName = PipelineChildren.ORDER),
    @Dependent(name = PipelineChildren.STOCK_SVC, type = StockServiceDependent.class,
        useEventSourceWithName = PipelineChildren.NAMESRV_SVC),
    @Dependent(name = PipelineChildren.STOCK_NETPOL, type = StockServiceNetworkPolicyDependent.class,
        reconcilePrecondition = ReadyWhen.NetworkPoliciesEnabled.class,
        useEventSourceWithName = PipelineChildren.NAMESRV_NETPOL),
})
public class ReliableTxPipelineReconciler implements Reconciler<ReliableTxPipeline> {
  /**
   * Which dependents make up each component's condition, in the order the conditions are listed: read from the
   * workflow above, each dependent counted in the component of its child ({@link PipelineChildren#component}).
   */
  static final Map<String, List<Class<?>>> COMPONENTS = new LinkedHashMap<>();
  /** The child each dependent keeps, by the dependent's class. */
  private static final Map<Class<?>, String> CHILDREN = new LinkedHashMap<>();

  static {
    for (Dependent d : ReliableTxPipelineReconciler.class.getAnnotation(Workflow.class).dependents()) {
      COMPONENTS.computeIfAbsent(PipelineChildren.component(d.name()), c -> new ArrayList<>()).add(d.type());
      CHILDREN.put(d.type(), d.name());
    }
  }

  /** How often, at most, a pipeline's progress while it comes up is written to its status ({@link StatusWriteSchedule}). */
  static final Duration STATUS_PROGRESS_INTERVAL = Duration.ofSeconds(30);

  private final PipelineEvents events;
  private final StatusWriteSchedule statusWrites;

  public ReliableTxPipelineReconciler(PipelineEvents events) {
    this(events, new StatusWriteSchedule(STATUS_PROGRESS_INTERVAL, Clock.systemUTC()));
  }

  ReliableTxPipelineReconciler(PipelineEvents events, StatusWriteSchedule statusWrites) {
    this.events = events;
    this.statusWrites = statusWrites;
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
      // Errors of every part count, those of a child being removed too; readiness only of the children it has.
      List<Class<?>> parts = component.getValue();
      List<Class<?>> active = activeParts(primary, parts);
      boolean disabled = active.isEmpty();
      if (parts.stream().anyMatch(errored::contains)) {
        anyError = true;
        waiting.add(type);
        conditions.add(PipelineConditions.condition(type, false, "ReconcileError",
            (disabled ? "removing " : "applying ") + errorMessage(result, parts), generation));
      } else if (disabled) {
        conditions.add(PipelineConditions.condition(type, true, "Disabled", type.toLowerCase() + " disabled in the spec",
            generation));
      } else if (!reconciled.containsAll(active)) {
        waiting.add(type);
        conditions.add(PipelineConditions.condition(type, false, "WaitingForDependencies",
            type + " waits for the components it depends on", generation));
      } else if (type.equals(Components.TOPICS) && topicsJobFailed(primary, context, result)) {
        waiting.add(type);
        conditions.add(PipelineConditions.condition(type, false, "TopicsJobFailed", "the topics Job "
            + TopicsJob.name(primary) + " failed: the topics were not confirmed on the broker (see its"
            + " pod's log)", generation));
      } else if (active.stream().anyMatch(notReady::contains)) {
        waiting.add(type);
        conditions.add(PipelineConditions.condition(type, false, "NotReady",
            type + " is applied; " + (type.equals(Components.TOPICS)
                ? "the topics Job has not yet confirmed that the topics exist" : "its pods are not ready yet"),
            generation));
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
    String key = primary.getMetadata().getUid();
    ReliableTxPipelineStatus status = PipelineStatus.of(primary, phase,
        PipelineConditions.merge(statusWrites.conditionsSeen(key, previous), conditions, Instant.now()));
    // Every transition worth an Event is written at once (StatusWriteSchedule), so none is recorded twice.
    events.onTransition(primary, previous, status);

    ReliableTxPipeline patch = statusPatch(primary, status);
    if (anyError) {
      // Thrown after the status is built, so JOSDK retries (without limit, backing off) and updateErrorStatus writes it.
      throw new ComponentsFailedException(patch, "not reconciled: " + String.join(", ", waiting));
    }
    // Readiness changes arrive as events of the children; this is a safety net for missed ones.
    Duration next = ready ? null : Duration.ofSeconds(30);
    if (StatusWriteSchedule.changed(previous, status)) {
      Duration wait = statusWrites.delay(key, previous, status);
      if (wait.isZero()) {
        statusWrites.written(key, status);
        // Written here and kept in JOSDK's cache over the informer's: the next reconcile (often a child's event a
        // moment later) must see this status, or it takes the pipeline for new and writes it, and its Events, again.
        PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(primary, patch, context);
      } else {
        // Progress only: written with what else changes by then, when the pipeline's interval is over.
        statusWrites.deferred(key, status);
        next = next == null || wait.compareTo(next) < 0 ? wait.plusMillis(100) : next;
      }
    }
    UpdateControl<ReliableTxPipeline> control = UpdateControl.noUpdate();
    return next == null ? control : control.rescheduleAfter(next.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public ErrorStatusUpdateControl<ReliableTxPipeline> updateErrorStatus(ReliableTxPipeline primary,
      Context<ReliableTxPipeline> context, Exception e) {
    // JOSDK (its metrics) may wrap what reconcile() threw.
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ComponentsFailedException failed) {
        // Each retry finds the same error again: written only when it changed.
        if (!StatusWriteSchedule.changed(primary.getStatus(), failed.statusPatch().getStatus())) {
          return ErrorStatusUpdateControl.noStatusUpdate();
        }
        statusWrites.written(primary.getMetadata().getUid(), failed.statusPatch().getStatus());
        return ErrorStatusUpdateControl.patchStatus(failed.statusPatch());
      }
    }
    // Anything else failed outside the dependents (the reconciler itself): say so briefly; component conditions are
    // kept as last known.
    ReliableTxPipelineStatus previous = primary.getStatus();
    Long generation = primary.getMetadata().getGeneration();
    String message = PipelineEvents.describe(e);
    List<Condition> conditions = new ArrayList<>(previous == null ? List.of() : previous.getConditions());
    conditions.removeIf(c -> PipelineConditions.READY.equals(c.getType()));
    conditions.add(0, PipelineConditions.condition(PipelineConditions.READY, false, "ReconcileError", message, generation));
    ReliableTxPipelineStatus status = PipelineStatus.of(primary, Phase.Failed,
        PipelineConditions.merge(previous == null ? null : previous.getConditions(), conditions, Instant.now()));
    events.onError(primary, message);
    statusWrites.written(primary.getMetadata().getUid(), status);
    return ErrorStatusUpdateControl.patchStatus(statusPatch(primary, status));
  }

  private static ReliableTxPipeline statusPatch(ReliableTxPipeline primary, ReliableTxPipelineStatus status) {
    ReliableTxPipeline patch = new ReliableTxPipeline();
    patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withName(primary.getMetadata().getName()).withNamespace(primary.getMetadata().getNamespace()).build());
    patch.setStatus(status);
    return patch;
  }

  /** The current topics Job gave up (its backoff limit was reached): say so rather than "not ready yet". */
  private static boolean topicsJobFailed(ReliableTxPipeline primary, Context<ReliableTxPipeline> context,
      WorkflowReconcileResult result) {
    String name = result.getReconciledDependents().stream().filter(TopicsJobDependent.class::isInstance)
        .map(d -> ((TopicsJobDependent) d).currentName(primary, context)).findFirst()
        .orElseGet(() -> TopicsJob.name(primary));
    return context.getSecondaryResourcesAsStream(Job.class)
        .anyMatch(j -> name.equals(j.getMetadata().getName()) && ReadyWhen.failed(j));
  }

  /**
   * The parts whose child {@code primary} has ({@link PipelineChildren#present}): not the generated Secret when the
   * user named one, not a switched-off console or NetworkPolicy.
   */
  private static List<Class<?>> activeParts(ReliableTxPipeline primary, List<Class<?>> parts) {
    return parts.stream().filter(c -> PipelineChildren.present(CHILDREN.get(c), primary)).toList();
  }

  private static Set<Class<?>> classes(List<DependentResource> dependents) {
    return dependents.stream().map(d -> (Class<?>) d.getClass()).collect(Collectors.toSet());
  }

  /** "<dependent>: <the API server's reason>", short: the failing child, never a stack trace. */
  private static String errorMessage(WorkflowReconcileResult result, List<Class<?>> parts) {
    return result.getErroredDependents().entrySet().stream()
        .filter(e -> parts.contains(e.getKey().getClass()))
        .map(e -> e.getKey().name() + ": " + PipelineEvents.describe(e.getValue()))
        .findFirst().orElse("unknown error");
  }
}
