package io.reliabletx.order.transaction;

import io.reliabletx.order.orders.Order;

/** Handed to the producer with the half message: the order to record, and what went wrong if it was not. */
public final class LocalTransactionAttempt {
  private final Order order;
  private volatile Exception failure;

  public LocalTransactionAttempt(Order order) {
    this.order = order;
  }

  public Order order() {
    return order;
  }

  public Exception failure() {
    return failure;
  }

  void failed(Exception e) {
    this.failure = e;
  }
}
