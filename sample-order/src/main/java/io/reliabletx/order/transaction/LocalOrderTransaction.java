package io.reliabletx.order.transaction;

import io.reliabletx.order.orders.Order;
import io.reliabletx.order.orders.OrderMapper;
import io.reliabletx.sample.common.ReliableTxProperties;
import io.reliabletx.sample.common.faults.FaultPoints;
import java.time.Duration;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.TransactionTimedOutException;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.ResourceHolderSupport;
import org.springframework.transaction.support.ResourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The local transaction of step 2: the order row and its {@code tx_log} row in ONE database transaction.
 * Written against the transaction manager directly because a failure of the commit itself must be told apart
 * from a failure before it (the first is UNKNOWN to the broker, the second a ROLLBACK).
 *
 * <p>It is bounded by {@code reliabletx.local-transaction-timeout}, which is below the check-back's rollback deadline:
 * a statement blocked past it (a lock wait) is cancelled by the driver, and a transaction past it when it would commit
 * rolls back instead, so that no order commits after a check-back could have answered ROLLBACK for its message. The
 * deadline is kept to the millisecond; a blocked statement's JDBC query timeout is in whole seconds, rounded up.
 */
@Component
public class LocalOrderTransaction {

  public static final String BEFORE_COMMIT = "order.local-tx.before-commit";
  public static final String AT_COMMIT = "order.local-tx.commit";

  /**
   * Always a transaction of its own: joined to a caller's, commit() below would commit nothing and the broker would
   * be told COMMIT for rows the caller may still roll back.
   */
  private final TransactionDefinition ownTransaction;
  private final Duration timeout;
  private final PlatformTransactionManager transactions;
  private final OrderMapper orders;
  private final TxLogMapper txLog;
  private final FaultPoints faults;

  public LocalOrderTransaction(PlatformTransactionManager transactions, OrderMapper orders, TxLogMapper txLog,
                               FaultPoints faults, ReliableTxProperties properties) {
    this.transactions = transactions;
    this.orders = orders;
    this.txLog = txLog;
    this.faults = faults;
    this.timeout = properties.localTransactionTimeout();
    DefaultTransactionDefinition own = new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    // Whole seconds for the transaction manager (its unit), refined to the millisecond once begun (bounded()).
    own.setTimeout((int) Math.max(1, (timeout.toMillis() + 999) / 1000));
    this.ownTransaction = own;
  }

  /**
   * @throws CommitOutcomeUnknownException when the commit failed and may or may not have taken effect
   * @throws RuntimeException              when the transaction certainly rolled back
   */
  public void record(Order order) {
    TransactionStatus tx = transactions.getTransaction(ownTransaction);
    ResourceHolderSupport deadline = bounded();
    try {
      orders.insert(order);
      txLog.insert(order.txNo(), TxState.COMMITTED);
      faults.reach(BEFORE_COMMIT);
      if (deadline != null) {
        deadline.getTimeToLiveInMillis(); // throws TransactionTimedOutException once past it: roll back, not commit
      }
    } catch (RuntimeException e) {
      transactions.rollback(tx);
      throw e;
    }
    try {
      faults.reach(AT_COMMIT);
      transactions.commit(tx);
    } catch (RuntimeException e) {
      if (!tx.isCompleted()) {
        transactions.rollback(tx);
      }
      throw new CommitOutcomeUnknownException(e);
    }
  }

  /**
   * The begun transaction's resource (the JDBC connection holder), its deadline set to {@link #timeout} from now; MyBatis
   * gives each statement the time left (SpringManagedTransaction#getTimeout) and fails one begun past it.
   */
  private ResourceHolderSupport bounded() {
    if (transactions instanceof ResourceTransactionManager rtm
        && TransactionSynchronizationManager.getResource(rtm.getResourceFactory()) instanceof ResourceHolderSupport h) {
      h.setTimeoutInMillis(timeout.toMillis());
      return h;
    }
    return null; // another kind of transaction manager: its whole-second timeout applies
  }

  /** For a caller that tells a timed-out transaction apart: it certainly rolled back. */
  public static boolean timedOut(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TransactionTimedOutException || t instanceof org.springframework.dao.QueryTimeoutException) {
        return true;
      }
    }
    return false;
  }
}
