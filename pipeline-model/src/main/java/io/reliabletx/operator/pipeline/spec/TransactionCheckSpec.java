package io.reliabletx.operator.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * How the broker checks back on half messages whose local transaction did not answer, and with it when the order
 * service gives such a transaction up ({@code CheckBackRollback}: the one knob for both sides).
 */
@ValidationRule(value = "self.opBatchIntervalMillis < self.timeoutMillis",
    message = "transaction.opBatchIntervalMillis must be below transaction.timeoutMillis: otherwise every half message,"
        + " committed or not, is checked back again and again and its message is delivered more than once",
    fieldPath = ".opBatchIntervalMillis", reason = "FieldValueInvalid")
@ValidationRule(value = "self.checkMax >= 4 && self.timeoutMillis + (self.checkMax - 3) * self.checkIntervalMillis >= 1000",
    message = "transaction.checkMax must leave two check-backs after the one the order service answers ROLLBACK to"
        + " (timeoutMillis + checkIntervalMillis old, at least 1 s), in case one is lost: checkMax must be at least 4"
        + " and timeoutMillis + (checkMax - 3) * checkIntervalMillis at least 1000; with fewer, a half message whose"
        + " answer was lost is discarded undecided",
    fieldPath = ".checkMax", reason = "FieldValueInvalid")
public class TransactionCheckSpec {
  @JsonPropertyDescription("broker.conf transactionCheckInterval: milliseconds between check-back rounds. The order"
      + " service answers ROLLBACK for a half message that left no record once it is timeoutMillis + checkIntervalMillis"
      + " old (at least 1 s): the broker's second check-back.")
  @Min(100) @Max(86400000)
  @Default("60000")
  private long checkIntervalMillis = 60000;

  @JsonPropertyDescription("broker.conf transactionTimeOut: milliseconds a half message waits before its first"
      + " check-back; the time a local transaction is expected to take. The order service rolls back a local transaction"
      + " still running after it, or after half the rollback deadline when that is shorter"
      + " (RELIABLETX_LOCAL_TRANSACTION_TIMEOUT).")
  @Min(100) @Max(86400000)
  @Default("6000")
  private long timeoutMillis = 6000;

  @JsonPropertyDescription("broker.conf transactionCheckMax: check-backs before a half message is discarded; those after"
      + " the order service's ROLLBACK deadline (see checkIntervalMillis) carry its decision when one is lost, and at"
      + " least two must come after it (so at least 4).")
  @Min(1) @Max(1000)
  @Default("15")
  private int checkMax = 15;

  @JsonPropertyDescription("broker.conf transactionOpBatchInterval: milliseconds between op-message batches; must be below timeoutMillis.")
  @Min(1) @Max(86400000)
  @Default("3000")
  private long opBatchIntervalMillis = 3000;

  public long getCheckIntervalMillis() { return checkIntervalMillis; }
  public void setCheckIntervalMillis(long v) { checkIntervalMillis = v; }
  public long getTimeoutMillis() { return timeoutMillis; }
  public void setTimeoutMillis(long v) { timeoutMillis = v; }
  public int getCheckMax() { return checkMax; }
  public void setCheckMax(int v) { checkMax = v; }
  public long getOpBatchIntervalMillis() { return opBatchIntervalMillis; }
  public void setOpBatchIntervalMillis(long v) { opBatchIntervalMillis = v; }
}
