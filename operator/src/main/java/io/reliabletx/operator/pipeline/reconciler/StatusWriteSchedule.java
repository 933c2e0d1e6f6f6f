package io.reliabletx.operator.pipeline.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.reliabletx.operator.pipeline.status.PipelineConditions;
import io.reliabletx.operator.pipeline.status.ReliableTxPipelineStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a pipeline's changed status is written. What a reader waits for is written at once: the first status, the Ready
 * condition turning (so {@code kubectl wait --for=condition=Ready} returns promptly), a new phase, the status of a new
 * generation, an error, a component that stops being ready. Progress while the components come up (a component
 * becoming ready, a reason or a message changing) is written at most once per {@code progressInterval} per pipeline,
 * with whatever else changed by then: a pipeline that comes up within the interval has its status written twice (when
 * first seen and when Ready), one that takes longer shows its progress every interval.
 *
 * <p>Every change worth an Event ({@link PipelineEvents#transitions}) is written at once, so a reconcile that defers
 * a write never records an Event a later one would record again.
 */
final class StatusWriteSchedule {
  /** The reasons of conditions on the way up; any other reason (ReconcileError, TopicsJobFailed, ...) is news. */
  static final Set<String> PROGRESS_REASONS = Set.of("WaitingForDependencies", "NotReady", "Ready", "Disabled",
      "ComponentsNotReady", "AllComponentsReady");

  private final Duration progressInterval;
  private final Clock clock;
  /** Per pipeline not yet Ready: when its status was last written, or when this process first deferred a write. */
  private final Map<String, Instant> lastWritten = new ConcurrentHashMap<>();
  /** Per pipeline: the conditions of a deferred write, so that they keep the time their transition was seen. */
  private final Map<String, List<Condition>> deferred = new ConcurrentHashMap<>();

  StatusWriteSchedule(Duration progressInterval, Clock clock) {
    this.progressInterval = progressInterval;
    this.clock = clock;
  }

  /** Whether {@code next} differs from {@code written} (so a quiet reconcile writes nothing). */
  static boolean changed(ReliableTxPipelineStatus written, ReliableTxPipelineStatus next) {
    // Conditions keep their lastTransitionTime when unchanged (PipelineConditions.merge), so equal JSON is no news.
    return written == null || !Serialization.asJson(written).equals(Serialization.asJson(next));
  }

  /** Whether the change from {@code written} to {@code next} is one a reader waits for (see the class comment). */
  static boolean urgent(ReliableTxPipelineStatus written, ReliableTxPipelineStatus next) {
    if (written == null || written.getPhase() != next.getPhase()
        || !Objects.equals(written.getObservedGeneration(), next.getObservedGeneration())) {
      return true;
    }
    List<Condition> before = written.getConditions() == null ? List.of() : written.getConditions();
    List<Condition> after = next.getConditions() == null ? List.of() : next.getConditions();
    if (before.size() != after.size()) {
      return true;
    }
    for (Condition c : after) {
      Condition old = PipelineConditions.find(before, c.getType());
      if (old == null) {
        return true;
      }
      boolean turned = !Objects.equals(old.getStatus(), c.getStatus());
      if (turned && (PipelineConditions.READY.equals(c.getType()) || "True".equals(old.getStatus()))) {
        return true; // the pipeline's Ready, or a component that stopped being ready
      }
      if (!PROGRESS_REASONS.contains(c.getReason())
          && (!Objects.equals(old.getReason(), c.getReason()) || !Objects.equals(old.getMessage(), c.getMessage()))) {
        return true; // an error, or a different one
      }
    }
    return false;
  }

  /**
   * How long to wait before writing {@code next} over {@code written} (a change): zero for a change a reader waits for
   * or when the pipeline's interval has passed; else until it has.
   */
  Duration delay(String pipeline, ReliableTxPipelineStatus written, ReliableTxPipelineStatus next) {
    if (urgent(written, next)) {
      return Duration.ZERO;
    }
    Instant now = clock.instant();
    // Not known (this process restarted, or the pipeline was Ready before): the interval starts now.
    Instant last = lastWritten.computeIfAbsent(pipeline, k -> now);
    Duration wait = Duration.between(now, last.plus(progressInterval));
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  /** Records that {@code status} waits to be written (its conditions are {@link #conditionsSeen} until then). */
  void deferred(String pipeline, ReliableTxPipelineStatus status) {
    deferred.put(pipeline, status.getConditions());
  }

  /**
   * The conditions to merge the next ones onto (keeping their lastTransitionTime): those of a deferred write, else
   * those written.
   */
  List<Condition> conditionsSeen(String pipeline, ReliableTxPipelineStatus written) {
    List<Condition> pending = deferred.get(pipeline);
    return pending != null ? pending : written == null ? null : written.getConditions();
  }

  /** Records that {@code status} is being written. A Ready pipeline is forgotten: its next change is news anyway. */
  void written(String pipeline, ReliableTxPipelineStatus status) {
    deferred.remove(pipeline);
    var ready = PipelineConditions.find(status.getConditions(), PipelineConditions.READY);
    if (ready != null && "True".equals(ready.getStatus())) {
      lastWritten.remove(pipeline);
    } else {
      lastWritten.put(pipeline, clock.instant());
    }
  }
}
