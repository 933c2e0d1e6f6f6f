package io.reliabletx.order.transaction;

/** The decision recorded in {@code tx_log.state}. */
public enum TxState { COMMITTED, ROLLED_BACK }
