package io.reliabletx.order.transaction;

import io.reliabletx.order.orders.Order;
import io.reliabletx.order.orders.OrderMapper;
import io.reliabletx.sample.common.faults.FaultPoints;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;

/**
 * The local transaction of step 2: the order row and its {@code tx_log} row in ONE database transaction.
 * Written against the transaction manager directly because a failure of the commit itself must be told apart
 * from a failure before it (the first is UNKNOWN to the broker, the second a ROLLBACK).
 */
@Component
public class LocalOrderTransaction {

  public static final String BEFORE_COMMIT = "order.local-tx.before-commit";
  public static final String AT_COMMIT = "order.local-tx.commit";

  /**
   * Always a transaction of its own: joined to a caller's, commit() below would commit nothing and the broker would
   * be told COMMIT for rows the caller may still roll back.
   */
  private static final TransactionDefinition OWN_TRANSACTION =
      new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_REQUIRES_NEW);

  private final PlatformTransactionManager transactions;
  private final OrderMapper orders;
  private final TxLogMapper txLog;
  private final FaultPoints faults;

  public LocalOrderTransaction(PlatformTransactionManager transactions, OrderMapper orders, TxLogMapper txLog,
                               FaultPoints faults) {
    this.transactions = transactions;
    this.orders = orders;
    this.txLog = txLog;
    this.faults = faults;
  }

  /**
   * @throws CommitOutcomeUnknownException when the commit failed and may or may not have taken effect
   * @throws RuntimeException              when the transaction certainly rolled back
   */
  public void record(Order order) {
    TransactionStatus tx = transactions.getTransaction(OWN_TRANSACTION);
    try {
      orders.insert(order);
      txLog.insert(order.txNo(), TxState.COMMITTED);
      faults.reach(BEFORE_COMMIT);
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
}
