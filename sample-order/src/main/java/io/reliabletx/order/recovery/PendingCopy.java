package io.reliabletx.order.recovery;

import io.reliabletx.messages.OrderPlaced;

/**
 * An order still PENDING whose message may be lost, with the resender's state kept on its row.
 *
 * @param id             the row's key: passes page through overdue orders by it, so none starves behind a full page
 * @param resendAttempts copies published so far; a copy is claimed by moving it from this value to the next
 */
public record PendingCopy(long id, String orderNo, String txNo, long productId, int payCount, int resendAttempts) {

  OrderPlaced message() {
    return new OrderPlaced(txNo, orderNo, productId, payCount);
  }
}
