package io.reliabletx.messages;

/**
 * Body of a message on the result topic: what the stock service did with one order. A REJECTED outcome is the
 * compensation that makes the order service cancel the order; a DEDUCTED outcome confirms it. Sent after the
 * stock transaction commits and sent again for every redelivery, so the order service must apply it idempotently.
 */
public record StockOutcome(String txNo, String orderNo, Outcome outcome, String reason) {

  public enum Outcome { DEDUCTED, REJECTED }

  /** Why a deduction was rejected; stored with the order as its cancellation reason. */
  public static final String INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK";
  public static final String UNKNOWN_PRODUCT = "UNKNOWN_PRODUCT";

  public StockOutcome {
    MessageCodec.require(txNo != null && !txNo.isBlank(), "txNo is required");
    MessageCodec.require(orderNo != null && !orderNo.isBlank(), "orderNo is required");
    MessageCodec.require(outcome != null, "outcome is required");
  }
}
