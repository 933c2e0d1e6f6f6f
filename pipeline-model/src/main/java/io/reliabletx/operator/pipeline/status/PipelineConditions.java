package io.reliabletx.operator.pipeline.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The one place conditions are built: lastTransitionTime changes only when a condition's status changes. */
public final class PipelineConditions {
  public static final String READY = "Ready";

  private PipelineConditions() {}

  public static Condition condition(String type, boolean status, String reason, String message, Long generation) {
    return new ConditionBuilder().withType(type).withStatus(status ? "True" : "False").withReason(reason)
        .withMessage(message).withObservedGeneration(generation).build();
  }

  /** Merges the new conditions into the previous ones, keeping transition times of unchanged statuses. */
  public static List<Condition> merge(List<Condition> previous, List<Condition> next, Instant now) {
    List<Condition> out = new ArrayList<>();
    String ts = now.truncatedTo(ChronoUnit.SECONDS).toString();
    for (Condition c : next) {
      Condition old = previous == null ? null
          : previous.stream().filter(p -> p.getType().equals(c.getType())).findFirst().orElse(null);
      c.setLastTransitionTime(old != null && Objects.equals(old.getStatus(), c.getStatus())
          && old.getLastTransitionTime() != null ? old.getLastTransitionTime() : ts);
      out.add(c);
    }
    return out;
  }

  public static Condition find(List<Condition> conditions, String type) {
    return conditions == null ? null
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }
}
