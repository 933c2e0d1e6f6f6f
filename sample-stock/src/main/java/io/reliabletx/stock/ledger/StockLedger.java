package io.reliabletx.stock.ledger;

import io.reliabletx.messages.OrderPlaced;
import io.reliabletx.messages.StockOutcome;
import io.reliabletx.sample.common.faults.FaultPoints;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Step 5: applies one order message in ONE local transaction: claim its transaction number in {@code tx_log},
 * deduct conditionally, record the outcome. A redelivered message finds its claim and changes nothing.
 */
@Service
public class StockLedger {

  public static final String BEFORE_COMMIT = "stock.deduction.before-commit";

  private final StockMapper stock;
  private final TxLogMapper txLog;
  private final FaultPoints faults;

  public StockLedger(StockMapper stock, TxLogMapper txLog, FaultPoints faults) {
    this.stock = stock;
    this.txLog = txLog;
    this.faults = faults;
  }

  @Transactional
  public Deduction apply(OrderPlaced order) {
    if (txLog.claim(order.txNo(), order.orderNo(), order.productId(), order.count()) == 0) {
      TxLogMapper.RecordedOutcome recorded = txLog.find(order.txNo());
      return new Deduction(new StockOutcome(order.txNo(), order.orderNo(),
          StockOutcome.Outcome.valueOf(recorded.outcome()), recorded.reason()), true);
    }
    StockOutcome outcome;
    if (stock.deduct(order.productId(), order.count()) == 1) {
      outcome = new StockOutcome(order.txNo(), order.orderNo(), StockOutcome.Outcome.DEDUCTED, null);
    } else {
      String reason = stock.findTotalCount(order.productId()) == null
          ? StockOutcome.UNKNOWN_PRODUCT : StockOutcome.INSUFFICIENT_STOCK;
      outcome = new StockOutcome(order.txNo(), order.orderNo(), StockOutcome.Outcome.REJECTED, reason);
    }
    txLog.recordOutcome(order.txNo(), outcome.outcome().name(), outcome.reason());
    faults.reach(BEFORE_COMMIT);
    return new Deduction(outcome, false);
  }
}
