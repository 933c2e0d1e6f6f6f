package io.reliabletx.order.orders;

import io.reliabletx.messages.MessageCodec;
import io.reliabletx.messages.OrderPlaced;
import org.apache.rocketmq.common.message.Message;

/**
 * The message of an order, keyed by its transaction number (what the stock service's ledger deduplicates on): sent
 * as the half message of its placement, and again by the pending-order resender.
 */
public final class OrderPlacedMessage {
  static final String TAG = "OrderPlaced";

  private OrderPlacedMessage() {}

  public static Message of(Order order, String topic) {
    return of(new OrderPlaced(order.txNo(), order.orderNo(), order.productId(), order.payCount()), topic);
  }

  public static Message of(OrderPlaced placed, String topic) {
    return new Message(topic, TAG, placed.txNo(), MessageCodec.encode(placed));
  }
}
