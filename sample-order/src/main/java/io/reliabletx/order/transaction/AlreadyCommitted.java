package io.reliabletx.order.transaction;

/**
 * The argument of a transactional send whose local transaction committed long before: a copy of an order's message
 * published again by the pending-order resender. There is nothing to run, so it commits at once; should that COMMIT
 * be lost too, the check-back finds the transaction's {@code tx_log} row like for any other. The copy goes out as a
 * transactional message because its topic is a TRANSACTION topic, which a RocketMQ 5 proxy keeps to that type.
 */
public record AlreadyCommitted(String txNo) {
}
