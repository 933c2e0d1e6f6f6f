package io.reliabletx.order.orders;

/** PENDING until the stock service answers; then CONFIRMED (stock deducted) or CANCELLED (compensated). */
public enum OrderStatus { PENDING, CONFIRMED, CANCELLED }
