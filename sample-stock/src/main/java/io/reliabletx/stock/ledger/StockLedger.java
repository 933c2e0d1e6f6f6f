package io.reliabletx.stock.ledger;

import io.reliabletx.messages.OrderPlaced;
import io.reliabletx.messages.StockOutcome;
import io.reliabletx.sample.common.faults.FaultPoints;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Step 5: applies one order message in ONE local transaction: its {@code tx_log} row and a conditional deduction.
 * The common path is two statements (a third marks the row REJECTED when stock is short); a redelivered message
 * fails on the {@code tx_log} primary key, its transaction rolls back, and the outcome recorded the first time is
 * returned instead.
 */
@Service
public class StockLedger {

  public static final String BEFORE_COMMIT = "stock.deduction.before-commit";

  private final StockMapper stock;
  private final TxLogMapper txLog;
  private final FaultPoints faults;
  private final TransactionTemplate transactions;

  public StockLedger(StockMapper stock, TxLogMapper txLog, FaultPoints faults, TransactionTemplate transactions) {
    this.stock = stock;
    this.txLog = txLog;
    this.faults = faults;
    this.transactions = transactions;
  }

  public Deduction apply(OrderPlaced order) {
    try {
      return transactions.execute(tx -> new Deduction(deduct(order), false));
    } catch (DuplicateKeyException alreadyApplied) {
      TxLogMapper.RecordedOutcome recorded = txLog.find(order.txNo());
      return new Deduction(new StockOutcome(order.txNo(), order.orderNo(),
          StockOutcome.Outcome.valueOf(recorded.outcome()), recorded.reason()), true);
    }
  }

  private StockOutcome deduct(OrderPlaced order) {
    // The ledger row first: a redelivery fails on it before touching the stock row, and the stock row's lock (every
    // order of the product needs it) is held only from the last statement to the commit.
    txLog.insert(order.txNo(), order.orderNo(), order.productId(), order.count(), StockOutcome.Outcome.DEDUCTED.name(),
        null);
    StockOutcome outcome;
    if (stock.deduct(order.productId(), order.count()) == 1) {
      outcome = new StockOutcome(order.txNo(), order.orderNo(), StockOutcome.Outcome.DEDUCTED, null);
    } else {
      String reason = stock.findTotalCount(order.productId()) == null
          ? StockOutcome.UNKNOWN_PRODUCT : StockOutcome.INSUFFICIENT_STOCK;
      txLog.markRejected(order.txNo(), reason);
      outcome = new StockOutcome(order.txNo(), order.orderNo(), StockOutcome.Outcome.REJECTED, reason);
    }
    faults.reach(BEFORE_COMMIT);
    return outcome;
  }
}
