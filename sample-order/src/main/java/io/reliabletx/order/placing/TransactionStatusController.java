package io.reliabletx.order.placing;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.reliabletx.order.orders.Order;
import io.reliabletx.order.orders.OrderMapper;
import io.reliabletx.order.transaction.TxLogMapper;
import io.reliabletx.order.transaction.TxState;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where a client polls after a {@code 202}: the decision recorded in {@code tx_log} for the order's transaction,
 * the same record the broker's check-back answers from.
 */
@RestController
class TransactionStatusController {

  static final String PATH = "/orders/transactions";

  /**
   * @param state COMMITTED (the order exists: {@code order}), ROLLED_BACK (it does not and never will; placing it
   *              again with the same key is safe) or UNKNOWN (no decision yet: the check-back settles it within
   *              {@code reliabletx.check-back-rollback-after} of the request once the broker asks)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record TransactionStatus(String txNo, String state, OrderView order) {
  }

  private final TxLogMapper txLog;
  private final OrderMapper orders;

  TransactionStatusController(TxLogMapper txLog, OrderMapper orders) {
    this.txLog = txLog;
    this.orders = orders;
  }

  @GetMapping(PATH + "/{txNo}")
  TransactionStatus get(@PathVariable String txNo) {
    TxState state = txLog.findState(txNo);
    if (state == null) {
      return new TransactionStatus(txNo, "UNKNOWN", null);
    }
    Order order = state == TxState.COMMITTED ? orders.findByTxNo(txNo) : null;
    return new TransactionStatus(txNo, state.name(), order == null ? null : OrderView.of(order));
  }
}
