package io.reliabletx.order.transaction;

/** The commit was attempted and failed in a way that leaves its outcome unknown: the check-back must decide. */
public class CommitOutcomeUnknownException extends RuntimeException {
  public CommitOutcomeUnknownException(Throwable cause) {
    super("local commit outcome unknown: " + cause.getMessage(), cause);
  }
}
