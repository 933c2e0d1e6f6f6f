package io.reliabletx.stock.ledger;

import io.reliabletx.messages.OrderPlaced;
import io.reliabletx.messages.StockOutcome;
import io.reliabletx.sample.common.faults.FaultPoints;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Step 5: applies one order message in ONE local transaction: its {@code tx_log} row and a conditional deduction.
 * The common path is two statements (a third marks the row REJECTED when stock is short); a redelivered message
 * fails on the {@code tx_log} primary key, its transaction rolls back, and the outcome recorded the first time is
 * returned instead. {@link #applyAll} does the same for a batch in one transaction: one multi-row insert, a deduction
 * per order, one commit.
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

  /**
   * Applies several orders in ONE local transaction, each exactly as {@link #apply} would; the deductions in the
   * returned list are in the orders' order. When any of them was applied before (or is in the batch twice), the
   * transaction rolls back untouched and each is applied on its own, so the others still apply and the repeats get
   * their recorded outcome.
   */
  public List<Deduction> applyAll(List<OrderPlaced> orders) {
    if (orders.size() == 1) {
      return List.of(apply(orders.get(0)));
    }
    try {
      return transactions.execute(tx -> deductAll(orders));
    } catch (DuplicateKeyException someAppliedBefore) {
      return orders.stream().map(this::apply).toList();
    }
  }

  private StockOutcome deduct(OrderPlaced order) {
    // The ledger row first: a redelivery fails on it before touching the stock row, and the stock row's lock (every
    // order of the product needs it) is held only from the last statement to the commit.
    txLog.insert(order.txNo(), order.orderNo(), order.productId(), order.count(), StockOutcome.Outcome.DEDUCTED.name(),
        null);
    StockOutcome outcome = deductStock(order);
    faults.reach(BEFORE_COMMIT);
    return outcome;
  }

  private List<Deduction> deductAll(List<OrderPlaced> orders) {
    txLog.insertDeducted(orders);
    // Stock rows are locked in product order, so two batches never wait for each other in a cycle.
    Map<String, StockOutcome> outcomes = new HashMap<>();
    orders.stream().sorted(Comparator.comparingLong(OrderPlaced::productId))
        .forEach(order -> outcomes.put(order.txNo(), deductStock(order)));
    faults.reach(BEFORE_COMMIT);
    return orders.stream().map(order -> new Deduction(outcomes.get(order.txNo()), false)).toList();
  }

  /** The conditional deduction of an order whose ledger row is written; REJECTED marks that row. */
  private StockOutcome deductStock(OrderPlaced order) {
    if (stock.deduct(order.productId(), order.count()) == 1) {
      return new StockOutcome(order.txNo(), order.orderNo(), StockOutcome.Outcome.DEDUCTED, null);
    }
    String reason = stock.findTotalCount(order.productId()) == null
        ? StockOutcome.UNKNOWN_PRODUCT : StockOutcome.INSUFFICIENT_STOCK;
    txLog.markRejected(order.txNo(), reason);
    return new StockOutcome(order.txNo(), order.orderNo(), StockOutcome.Outcome.REJECTED, reason);
  }
}
