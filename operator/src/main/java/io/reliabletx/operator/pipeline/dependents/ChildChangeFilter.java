package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Which updates of a child start a reconcile of its pipeline. The workloads' controllers update their status several
 * times while pods come up (replica counts, conditions, observed generation); the pipeline only needs to hear when a
 * child stops or starts being ready ({@link ReadyWhen}), when a Job finishes, and any change of what the operator
 * applies (the spec, whose change grows the generation, and the labels, annotations and owners). Other kinds have no
 * status that changes on its own: every update of theirs counts.
 */
public class ChildChangeFilter implements OnUpdateFilter<HasMetadata> {
  @Override
  public boolean accept(HasMetadata now, HasMetadata before) {
    if (!PipelineChildDependent.GENERATION_FOLLOWS_SPEC.contains(now.getClass()) || before == null
        || now.getClass() != before.getClass()) {
      return true;
    }
    if (!PipelineChildDependent.AppliedVersion.of(now).equals(PipelineChildDependent.AppliedVersion.of(before))) {
      return true;
    }
    return !Objects.equals(readiness(now), readiness(before));
  }

  /** What the pipeline's status reads of a child's status; a PodDisruptionBudget's is not read. */
  static Object readiness(HasMetadata child) {
    if (child instanceof StatefulSet s) {
      return ReadyWhen.ready(s);
    }
    if (child instanceof Deployment d) {
      return ReadyWhen.ready(d);
    }
    if (child instanceof Job j) {
      return ReadyWhen.succeeded(j) + "/" + ReadyWhen.failed(j);
    }
    return null;
  }
}
