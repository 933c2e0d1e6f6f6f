package io.reliabletx.operator.pipeline.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.status.PipelineConditions;
import io.reliabletx.operator.pipeline.status.ReliableTxPipelineStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Core v1 Events on the pipeline: its phase and Ready transitions, failing and degraded components, errors. */
public class PipelineEvents {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineEvents.class);
  static final String COMPONENT = "reliable-tx-operator";

  private final KubernetesClient client;

  public PipelineEvents(KubernetesClient client) {
    this.client = client;
  }

  /** An Event to record: Normal or Warning, its reason and message. */
  record Transition(String type, String reason, String message) {}

  void onTransition(ReliableTxPipeline p, ReliableTxPipelineStatus before, ReliableTxPipelineStatus after) {
    for (Transition t : transitions(before, after)) {
      emit(p, t.type(), t.reason(), t.message());
    }
  }

  /**
   * The Events a status change from {@code before} to {@code after} is worth; pure. One per transition of the
   * pipeline: its Ready condition turning (PipelineReady, PipelineNotReady, naming the phase), or else its phase
   * changing (to Failed, or back from it); a component only when it fails (ReconcileError) or stops being Ready (a
   * degradation). A component becoming Ready is not an Event: its condition in the status shows it.
   */
  static List<Transition> transitions(ReliableTxPipelineStatus before, ReliableTxPipelineStatus after) {
    List<Transition> out = new ArrayList<>();
    boolean readyTurned = false;
    for (Condition c : after.getConditions()) {
      Condition old = before == null ? null : PipelineConditions.find(before.getConditions(), c.getType());
      boolean changed = old == null || !Objects.equals(old.getStatus(), c.getStatus());
      if (PipelineConditions.READY.equals(c.getType())) {
        if (changed) {
          readyTurned = true;
          out.add(new Transition(after.getPhase() == ReliableTxPipelineStatus.Phase.Failed ? "Warning" : "Normal",
              "Pipeline" + ("True".equals(c.getStatus()) ? "Ready" : "NotReady"),
              "phase " + after.getPhase() + ": " + c.getMessage()));
        }
      } else if ("ReconcileError".equals(c.getReason())) {
        if (old == null || !"ReconcileError".equals(old.getReason())) {
          out.add(new Transition("Warning", c.getType() + "NotReady", c.getMessage()));
        }
      } else if (old != null && "True".equals(old.getStatus()) && "False".equals(c.getStatus())) {
        out.add(new Transition("Warning", c.getType() + "NotReady", c.getMessage()));
      }
    }
    // Ready and phase turn together (Ready iff phase Ready); the phase is its own Event only when Ready stays.
    if (!readyTurned && (before == null || before.getPhase() != after.getPhase())) {
      out.add(new Transition(after.getPhase() == ReliableTxPipelineStatus.Phase.Failed ? "Warning" : "Normal",
          "Phase" + after.getPhase(), "phase is now " + after.getPhase()));
    }
    return out;
  }

  void onError(ReliableTxPipeline p, String message) {
    emit(p, "Warning", "ReconcileFailed", message);
  }

  /** A short one-line error: the API server's message when there is one (never a resource body or a stack trace). */
  static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof KubernetesClientException)) {
      t = t.getCause();
    }
    if (t instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
      return truncate(k.getStatus().getMessage());
    }
    return truncate(t.getClass().getSimpleName() + ": " + t.getMessage());
  }

  static final int MAX_MESSAGE = 300;

  private static String truncate(String s) {
    String line = s == null ? "" : s.replaceAll("\\s+", " ").strip();
    return line.length() > MAX_MESSAGE ? line.substring(0, MAX_MESSAGE) + "..." : line;
  }

  private void emit(ReliableTxPipeline p, String type, String reason, String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    try {
      client.v1().events().inNamespace(p.getMetadata().getNamespace()).resource(new EventBuilder()
          .withNewMetadata()
            .withName(p.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
            .withNamespace(p.getMetadata().getNamespace())
          .endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(p.getApiVersion()).withKind(p.getKind())
              .withName(p.getMetadata().getName()).withNamespace(p.getMetadata().getNamespace())
              .withUid(p.getMetadata().getUid()).withResourceVersion(p.getMetadata().getResourceVersion()).build())
          .withType(type).withReason(reason).withMessage(message)
          .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
          .withNewSource().withComponent(COMPONENT).endSource()
          .withReportingComponent(COMPONENT)
          .build()).create();
    } catch (RuntimeException e) {
      LOG.warn("could not record event {} on {}/{}: {}", reason, p.getMetadata().getNamespace(),
          p.getMetadata().getName(), e.getMessage());
    }
  }
}
