package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.Console;
import io.reliabletx.operator.pipeline.children.Mysql;
import io.reliabletx.operator.pipeline.children.NetworkPolicies;
import java.util.Objects;

/** Ready postconditions of the workflow. */
public final class ReadyWhen {
  private ReadyWhen() {}

  /** All replicas of the current revision ready. */
  public static final class StatefulSetReady implements Condition<StatefulSet, ReliableTxPipeline> {
    @Override
    public boolean isMet(DependentResource<StatefulSet, ReliableTxPipeline> dependent, ReliableTxPipeline primary,
        Context<ReliableTxPipeline> context) {
      return dependent.getSecondaryResource(primary, context).map(ReadyWhen::ready).orElse(false);
    }
  }

  public static final class DeploymentReady implements Condition<Deployment, ReliableTxPipeline> {
    @Override
    public boolean isMet(DependentResource<Deployment, ReliableTxPipeline> dependent, ReliableTxPipeline primary,
        Context<ReliableTxPipeline> context) {
      return dependent.getSecondaryResource(primary, context).map(ReadyWhen::ready).orElse(false);
    }
  }

  /** The topic Job finished successfully: the topics exist on the broker. */
  public static final class JobSucceeded implements Condition<Job, ReliableTxPipeline> {
    @Override
    public boolean isMet(DependentResource<Job, ReliableTxPipeline> dependent, ReliableTxPipeline primary,
        Context<ReliableTxPipeline> context) {
      return dependent.getSecondaryResource(primary, context).map(ReadyWhen::succeeded).orElse(false);
    }
  }

  public static final class ConsoleEnabled implements Condition<io.fabric8.kubernetes.api.model.HasMetadata, ReliableTxPipeline> {
    @Override
    public boolean isMet(DependentResource<io.fabric8.kubernetes.api.model.HasMetadata, ReliableTxPipeline> dependent,
        ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
      return Console.enabled(primary);
    }
  }

  public static final class NetworkPoliciesEnabled
      implements Condition<io.fabric8.kubernetes.api.model.HasMetadata, ReliableTxPipeline> {
    @Override
    public boolean isMet(DependentResource<io.fabric8.kubernetes.api.model.HasMetadata, ReliableTxPipeline> dependent,
        ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
      return NetworkPolicies.enabled(primary);
    }
  }

  /** The console's NetworkPolicy exists while both the console and the NetworkPolicies are on. */
  public static final class ConsoleNetworkPolicyEnabled
      implements Condition<io.fabric8.kubernetes.api.model.HasMetadata, ReliableTxPipeline> {
    @Override
    public boolean isMet(DependentResource<io.fabric8.kubernetes.api.model.HasMetadata, ReliableTxPipeline> dependent,
        ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
      return NetworkPolicies.consoleEnabled(primary);
    }
  }

  /** The credentials Secret is generated only when the user did not name an existing one. */
  public static final class CredentialsGenerated implements Condition<io.fabric8.kubernetes.api.model.Secret, ReliableTxPipeline> {
    @Override
    public boolean isMet(DependentResource<io.fabric8.kubernetes.api.model.Secret, ReliableTxPipeline> dependent,
        ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
      return Mysql.generatesCredentials(primary);
    }
  }

  /** All replicas of the current revision ready. */
  public static boolean ready(StatefulSet s) {
    int want = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
    var st = s.getStatus();
    return st != null && Objects.equals(st.getObservedGeneration(), s.getMetadata().getGeneration())
        && value(st.getReadyReplicas()) >= want && value(st.getUpdatedReplicas()) >= want;
  }

  /** All replicas of the current revision ready. */
  public static boolean ready(Deployment d) {
    int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    var st = d.getStatus();
    return st != null && Objects.equals(st.getObservedGeneration(), d.getMetadata().getGeneration())
        && value(st.getReadyReplicas()) >= want && value(st.getUpdatedReplicas()) >= want;
  }

  public static boolean succeeded(Job j) {
    return j.getStatus() != null && value(j.getStatus().getSucceeded()) >= 1;
  }

  /** The Job gave up: its backoff limit was reached. */
  public static boolean failed(Job j) {
    return j.getStatus() != null && j.getStatus().getConditions() != null && j.getStatus().getConditions().stream()
        .anyMatch(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static int value(Integer i) {
    return i == null ? 0 : i;
  }
}
