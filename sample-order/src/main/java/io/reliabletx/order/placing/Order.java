package io.reliabletx.order.placing;

import java.time.LocalDateTime;
import java.util.UUID;

/** One row of {@code orders}. */
public record Order(String orderNo, String txNo, long productId, int payCount, OrderStatus status,
                    String statusReason, LocalDateTime createTime, LocalDateTime updateTime) {

  /** A new order: its number and the transaction number that keys its message and its {@code tx_log} row. */
  public static Order newPending(long productId, int count) {
    LocalDateTime now = LocalDateTime.now();
    return new Order("O-" + UUID.randomUUID(), "TX-" + UUID.randomUUID(), productId, count, OrderStatus.PENDING,
        null, now, now);
  }
}
