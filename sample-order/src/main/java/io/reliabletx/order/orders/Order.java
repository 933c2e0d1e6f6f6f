package io.reliabletx.order.orders;

import java.time.LocalDateTime;
import java.util.UUID;

/** One row of {@code orders}; {@code idempotencyKey} is the client's {@code Idempotency-Key}, null without one. */
public record Order(String orderNo, String txNo, long productId, int payCount, OrderStatus status,
                    String statusReason, LocalDateTime createTime, LocalDateTime updateTime, String idempotencyKey) {

  /** A new order: its number and the transaction number that keys its message and its {@code tx_log} row. */
  public static Order newPending(long productId, int count) {
    return newPending(productId, count, null);
  }

  public static Order newPending(long productId, int count, String idempotencyKey) {
    LocalDateTime now = LocalDateTime.now();
    return new Order("O-" + UUID.randomUUID(), "TX-" + UUID.randomUUID(), productId, count, OrderStatus.PENDING,
        null, now, now, idempotencyKey);
  }

  /** Whether a retry carrying this order's key asks for the same thing (else the key was reused by mistake). */
  public boolean sameRequest(long productId, int count) {
    return this.productId == productId && this.payCount == count;
  }
}
