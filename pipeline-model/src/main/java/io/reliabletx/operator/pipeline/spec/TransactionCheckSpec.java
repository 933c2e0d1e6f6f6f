package io.reliabletx.operator.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** How the broker checks back on half messages whose local transaction did not answer. */
@ValidationRule(value = "self.opBatchIntervalMillis < self.timeoutMillis",
    message = "transaction.opBatchIntervalMillis must be below transaction.timeoutMillis: otherwise every half message,"
        + " committed or not, is checked back again and again and its message is delivered more than once",
    fieldPath = ".opBatchIntervalMillis", reason = "FieldValueInvalid")
public class TransactionCheckSpec {
  @JsonPropertyDescription("broker.conf transactionCheckInterval: milliseconds between check-back rounds.")
  @Min(100) @Max(86400000)
  @Default("60000")
  private long checkIntervalMillis = 60000;

  @JsonPropertyDescription("broker.conf transactionTimeOut: milliseconds a half message waits before its first check-back.")
  @Min(100) @Max(86400000)
  @Default("6000")
  private long timeoutMillis = 6000;

  @JsonPropertyDescription("broker.conf transactionCheckMax: check-backs before a half message is discarded.")
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
