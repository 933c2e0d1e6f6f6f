package io.reliabletx.operator.pipeline.wiring;

import io.reliabletx.operator.pipeline.spec.TransactionCheckSpec;
import java.time.Duration;

/**
 * How old a half message must be before the order service answers ROLLBACK to a check-back that finds no
 * {@code tx_log} row ({@code reliabletx.check-back-rollback-after}), derived from the broker's check-back settings so
 * that the user sets only {@code spec.transaction}.
 *
 * <p>The broker checks a half message first once it is older than {@code timeoutMillis}, then once per
 * {@code checkIntervalMillis} round, {@code checkMax} times in all, and discards it on the round after the last: check
 * {@code k} comes when the message is older than {@code timeout + (k-1) * interval}. The deadline is
 * {@code timeout + interval}: a local transaction gets the broker's own budget and a whole check interval more (the
 * first check-back answers UNKNOWN, the second ROLLBACK), and {@code checkMax - 2} check-backs remain to carry the
 * decision when one is lost (every service instance restarting, a full check-back pool) before the broker gives up. An
 * earlier ROLLBACK is safe (its tx_log row makes a late local transaction fail) but aborts an order; a later one risks a
 * half message discarded undecided, whose client then never learns the outcome. With {@code checkMax} 1 the only
 * check-back must decide: {@code timeout}. Never below {@link #MINIMUM}, which the services require; the CRD refuses
 * settings whose last check-back would come before it.
 */
public final class CheckBackRollback {
  /** The services refuse a shorter deadline ({@code ReliableTxProperties}; RenderedEnvTest joins the two). */
  public static final Duration MINIMUM = Duration.ofSeconds(1);

  private CheckBackRollback() {}

  public static Duration after(TransactionCheckSpec tx) {
    long intervals = Math.min(1, tx.getCheckMax() - 1);
    Duration deadline = Duration.ofMillis(tx.getTimeoutMillis() + intervals * tx.getCheckIntervalMillis());
    return deadline.compareTo(MINIMUM) < 0 ? MINIMUM : deadline;
  }

  /**
   * How long the order service's local transaction may run before it rolls back
   * ({@code reliabletx.local-transaction-timeout}): the broker's {@code timeoutMillis}, "the time a local transaction is
   * expected to take", after which it asks, so that the first check-back finds the transaction over; and at most half
   * of {@link #after the rollback deadline}, the other half being the margin for the half message's send before the
   * transaction and its commit after it (with {@code checkMax} 1 the deadline is the timeout itself). Never below the
   * services' minimum of 100 ms: the CRD's timeoutMillis is at least 100, and the deadline at least 1 s.
   */
  public static Duration localTransactionTimeout(TransactionCheckSpec tx) {
    Duration brokers = Duration.ofMillis(tx.getTimeoutMillis());
    Duration half = after(tx).dividedBy(2);
    return brokers.compareTo(half) < 0 ? brokers : half;
  }

  /** In Spring Boot's duration syntax: whole seconds as {@code 66s}, anything else in milliseconds. */
  public static String asProperty(Duration deadline) {
    long millis = deadline.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
