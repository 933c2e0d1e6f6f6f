package io.reliabletx.operator.pipeline.reconciler;

import io.reliabletx.operator.pipeline.ReliableTxPipeline;

/** Some dependents failed: carries the status already built from the workflow result, for updateErrorStatus. */
final class ComponentsFailedException extends RuntimeException {
  private final transient ReliableTxPipeline statusPatch;

  ComponentsFailedException(ReliableTxPipeline statusPatch, String message) {
    super(message, null, false, false);
    this.statusPatch = statusPatch;
  }

  ReliableTxPipeline statusPatch() {
    return statusPatch;
  }
}
