package io.reliabletx.operator.pipeline.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.reliabletx.operator.Pipelines;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.reconciler.PipelineEvents.Transition;
import io.reliabletx.operator.pipeline.status.PipelineConditions;
import io.reliabletx.operator.pipeline.status.PipelineStatus;
import io.reliabletx.operator.pipeline.status.ReliableTxPipelineStatus;
import io.reliabletx.operator.pipeline.status.ReliableTxPipelineStatus.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A quiet reconcile writes no status; Events only for the pipeline's transitions, errors and degradations. */
class StatusWritesAndEventsTest {
  static final ReliableTxPipeline P = Pipelines.defaults("p", "ns");
  static final List<String> COMPONENTS = List.copyOf(ReliableTxPipelineReconciler.COMPONENTS.keySet());

  /** The status the reconciler builds when {@code ready} components are Ready, merged onto {@code previous}. */
  static ReliableTxPipelineStatus status(ReliableTxPipelineStatus previous, Set<String> ready, String erroring,
      Instant now) {
    List<Condition> next = new ArrayList<>();
    for (String c : COMPONENTS) {
      next.add(c.equals(erroring) ? PipelineConditions.condition(c, false, "ReconcileError", "boom", 1L)
          : ready.contains(c) ? PipelineConditions.condition(c, true, "Ready", c + " is ready", 1L)
          : PipelineConditions.condition(c, false, "NotReady", c + " not ready", 1L));
    }
    boolean all = ready.containsAll(COMPONENTS);
    next.add(0, PipelineConditions.condition(PipelineConditions.READY, all, all ? "AllComponentsReady"
        : erroring != null ? "ComponentFailed" : "ComponentsNotReady", "m", 1L));
    Phase phase = erroring != null ? Phase.Failed : all ? Phase.Ready : Phase.Provisioning;
    return PipelineStatus.of(P, phase,
        PipelineConditions.merge(previous == null ? null : previous.getConditions(), next, now));
  }

  @Test
  void aReconcileThatFindsNothingNewWritesNoStatus() {
    ReliableTxPipelineStatus ready = status(null, Set.copyOf(COMPONENTS), null, Instant.parse("2026-01-01T00:00:00Z"));
    ReliableTxPipelineStatus again = status(ready, Set.copyOf(COMPONENTS), null, Instant.parse("2026-01-01T00:05:00Z"));
    assertThat(ReliableTxPipelineReconciler.statusChanged(ready, again)).isFalse();
  }

  @Test
  void aChangedConditionOrPhaseIsWritten() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    ReliableTxPipelineStatus ready = status(null, Set.copyOf(COMPONENTS), null, t);
    assertThat(ReliableTxPipelineReconciler.statusChanged(null, ready)).isTrue();
    Set<String> allButBroker = new java.util.HashSet<>(COMPONENTS);
    allButBroker.remove("Broker");
    assertThat(ReliableTxPipelineReconciler.statusChanged(ready, status(ready, allButBroker, null, t.plusSeconds(1))))
        .isTrue();
  }

  @Test
  void creationRecordsThePipelinesTransitionsNotEachComponentBecomingReady() {
    List<Transition> events = new ArrayList<>();
    ReliableTxPipelineStatus before = null;
    Set<String> ready = new java.util.HashSet<>();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    // Applied: nothing ready; then the components become ready one at a time.
    for (int i = 0; i <= COMPONENTS.size(); i++) {
      if (i > 0) {
        ready.add(COMPONENTS.get(i - 1));
      }
      ReliableTxPipelineStatus after = status(before, ready, null, t.plusSeconds(i));
      events.addAll(PipelineEvents.transitions(before, after));
      before = after;
    }
    assertThat(events).extracting(Transition::reason)
        .containsExactly("PipelineNotReady", "PhaseProvisioning", "PipelineReady", "PhaseReady");
  }

  @Test
  void aReadyComponentThatStopsBeingReadyAndAnErrorAreRecorded() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    ReliableTxPipelineStatus ready = status(null, Set.copyOf(COMPONENTS), null, t);
    Set<String> allButBroker = new java.util.HashSet<>(COMPONENTS);
    allButBroker.remove("Broker");
    ReliableTxPipelineStatus degraded = status(ready, allButBroker, null, t.plusSeconds(1));
    assertThat(PipelineEvents.transitions(ready, degraded)).extracting(Transition::type, Transition::reason)
        .contains(org.assertj.core.groups.Tuple.tuple("Warning", "BrokerNotReady"),
            org.assertj.core.groups.Tuple.tuple("Normal", "PipelineNotReady"));
    ReliableTxPipelineStatus failed = status(degraded, allButBroker, "MySQL", t.plusSeconds(2));
    assertThat(PipelineEvents.transitions(degraded, failed)).extracting(Transition::type, Transition::reason)
        .contains(org.assertj.core.groups.Tuple.tuple("Warning", "MySQLNotReady"),
            org.assertj.core.groups.Tuple.tuple("Warning", "PhaseFailed"));
  }
}
