package io.reliabletx.messages;

/**
 * Body of the transactional message on the orders topic: "this order was committed; deduct its stock".
 * The message key is {@link #txNo()}, the idempotency key of the whole flow.
 */
public record OrderPlaced(String txNo, String orderNo, long productId, int count) {
  public OrderPlaced {
    MessageCodec.require(txNo != null && !txNo.isBlank(), "txNo is required");
    MessageCodec.require(orderNo != null && !orderNo.isBlank(), "orderNo is required");
    MessageCodec.require(productId > 0, "productId must be positive");
    MessageCodec.require(count > 0, "count must be positive");
  }
}
