package io.reliabletx.order.placing;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.reliabletx.order.orders.Order;
import java.time.LocalDateTime;

/** What the HTTP API says about an order. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderView(String orderNo, String txNo, long productId, int count, String status, String reason,
                        LocalDateTime createTime, LocalDateTime updateTime) {

  static OrderView of(Order o) {
    return new OrderView(o.orderNo(), o.txNo(), o.productId(), o.payCount(), o.status().name(), o.statusReason(),
        o.createTime(), o.updateTime());
  }
}
