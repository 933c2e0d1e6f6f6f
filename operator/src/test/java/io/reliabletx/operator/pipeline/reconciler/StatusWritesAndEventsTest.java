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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A quiet reconcile writes no status; progress while coming up is written at most once per interval, what a reader
 * waits for at once; Events one per transition of the pipeline, errors and degradations.
 */
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
    assertThat(StatusWriteSchedule.changed(ready, again)).isFalse();
  }

  @Test
  void aChangedConditionOrPhaseIsWritten() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    ReliableTxPipelineStatus ready = status(null, Set.copyOf(COMPONENTS), null, t);
    assertThat(StatusWriteSchedule.changed(null, ready)).isTrue();
    Set<String> allButBroker = new java.util.HashSet<>(COMPONENTS);
    allButBroker.remove("Broker");
    assertThat(StatusWriteSchedule.changed(ready, status(ready, allButBroker, null, t.plusSeconds(1))))
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
        .containsExactly("PipelineNotReady", "PipelineReady");
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

  /** A clock the simulation moves. */
  static final class SteppedClock extends Clock {
    Instant now;

    SteppedClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  /** What the reconciler wrote while a pipeline came up: the status writes (time, Ready) and the Events. */
  record Run(List<Instant> writes, List<String> readyAtWrite, List<Transition> events, Instant readyWritten) {}

  /**
   * Reconciles a pipeline whose components become Ready one at a time, the i-th at {@code readyAt[i]} (seconds after
   * apply), as the reconciler does: a reconcile at apply, at each readiness, and when a deferred write asked to be
   * rescheduled (JOSDK's rescheduleAfter).
   */
  static Run comeUp(Duration interval, long... readyAt) {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    SteppedClock clock = new SteppedClock(t0);
    StatusWriteSchedule schedule = new StatusWriteSchedule(interval, clock);
    TreeSet<Instant> reconciles = new TreeSet<>();
    reconciles.add(t0);
    for (long s : readyAt) {
      reconciles.add(t0.plusSeconds(s));
    }
    List<Instant> writes = new ArrayList<>();
    List<String> readyAtWrite = new ArrayList<>();
    List<Transition> events = new ArrayList<>();
    Instant readyWritten = null;
    ReliableTxPipelineStatus written = null;
    while (!reconciles.isEmpty()) {
      Instant now = reconciles.pollFirst();
      clock.now = now;
      Set<String> ready = new java.util.HashSet<>();
      for (int i = 0; i < readyAt.length; i++) {
        if (!t0.plusSeconds(readyAt[i]).isAfter(now)) {
          ready.add(COMPONENTS.get(i));
        }
      }
      ReliableTxPipelineStatus next = status(written, ready, null, now);
      events.addAll(PipelineEvents.transitions(written, next));
      if (!StatusWriteSchedule.changed(written, next)) {
        continue;
      }
      Duration wait = schedule.delay("p", written, next);
      if (wait.isZero()) {
        schedule.written("p", next);
        writes.add(now);
        String r = PipelineConditions.find(next.getConditions(), PipelineConditions.READY).getStatus();
        readyAtWrite.add(r);
        if ("True".equals(r) && readyWritten == null) {
          readyWritten = now;
        }
        written = next;
      } else {
        reconciles.add(now.plus(wait));
      }
    }
    return new Run(writes, readyAtWrite, events, readyWritten);
  }

  @Test
  void aPipelineComingUpWithinTheIntervalWritesItsStatusTwiceAndReadyAtOnce() {
    // Eight components (the defaults' conditions) ready one per second.
    long[] readyAt = new long[COMPONENTS.size()];
    for (int i = 0; i < readyAt.length; i++) {
      readyAt[i] = i + 1;
    }
    Run run = comeUp(Duration.ofSeconds(30), readyAt);
    assertThat(run.writes()).as("first seen, then Ready").hasSize(2);
    assertThat(run.readyAtWrite()).containsExactly("False", "True");
    assertThat(run.readyWritten()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(readyAt.length));
    assertThat(run.events()).extracting(Transition::reason).containsExactly("PipelineNotReady", "PipelineReady");
  }

  @Test
  void aSlowPipelineShowsItsProgressOncePerInterval() {
    // A component every 20 s: 160 s to Ready. Written when first seen, at most every 30 s while coming up, at Ready.
    long[] readyAt = new long[COMPONENTS.size()];
    for (int i = 0; i < readyAt.length; i++) {
      readyAt[i] = 20L * (i + 1);
    }
    Run run = comeUp(Duration.ofSeconds(30), readyAt);
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(run.readyWritten()).isEqualTo(t0.plusSeconds(readyAt[readyAt.length - 1]));
    for (int i = 1; i < run.writes().size() - 1; i++) {
      assertThat(Duration.between(run.writes().get(i - 1), run.writes().get(i))).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
    }
    // Every component's progress was shown: 0, 30 (one ready), 60 (2), 90 (4), 120 (5), 150 (7), 160 Ready.
    assertThat(run.writes()).hasSizeLessThanOrEqualTo(2 + 160 / 30).hasSizeGreaterThan(2);
  }

  @Test
  void everyChangeWorthAnEventIsWrittenAtOnce() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    ReliableTxPipelineStatus ready = status(null, Set.copyOf(COMPONENTS), null, t);
    Set<String> allButBroker = new java.util.HashSet<>(COMPONENTS);
    allButBroker.remove("Broker");
    ReliableTxPipelineStatus degraded = status(ready, allButBroker, null, t.plusSeconds(1));
    ReliableTxPipelineStatus failed = status(degraded, allButBroker, "MySQL", t.plusSeconds(2));
    ReliableTxPipelineStatus recovering = status(failed, allButBroker, null, t.plusSeconds(3));
    ReliableTxPipelineStatus readyAgain = status(recovering, Set.copyOf(COMPONENTS), null, t.plusSeconds(4));
    List<ReliableTxPipelineStatus> path = List.of(ready, degraded, failed, recovering, readyAgain);
    assertThat(StatusWriteSchedule.urgent(null, ready)).isTrue();
    for (int i = 1; i < path.size(); i++) {
      assertThat(PipelineEvents.transitions(path.get(i - 1), path.get(i))).as("step %d has Events", i).isNotEmpty();
      assertThat(StatusWriteSchedule.urgent(path.get(i - 1), path.get(i))).as("step %d", i).isTrue();
    }
    // A component becoming ready while others are not: progress, no Event, deferred.
    Set<String> one = Set.of(COMPONENTS.get(0));
    ReliableTxPipelineStatus nothing = status(null, Set.of(), null, t);
    ReliableTxPipelineStatus progress = status(nothing, one, null, t.plusSeconds(1));
    assertThat(PipelineEvents.transitions(nothing, progress)).isEmpty();
    assertThat(StatusWriteSchedule.urgent(nothing, progress)).isFalse();
    StatusWriteSchedule schedule = new StatusWriteSchedule(Duration.ofSeconds(30), new SteppedClock(t.plusSeconds(1)));
    schedule.written("p", nothing);
    assertThat(schedule.delay("p", nothing, progress)).isEqualTo(Duration.ofSeconds(30));
  }
}
