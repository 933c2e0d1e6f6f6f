package io.reliabletx.bench;

import java.util.List;

/** One way of getting "order recorded" to "stock deducted"; the harness drives every variant the same way. */
interface Variant extends AutoCloseable {

  String name();

  /** Records one order and gets its message on its way; returns once the order is committed. */
  void place(long productId, int count) throws Exception;

  /** Forgets what was counted so far (after the warm-up). */
  void resetStats() throws Exception;

  /** Orders whose stock has been deducted since the last reset. */
  long deducted() throws Exception;

  /** Milliseconds from each order's commit to its deduction, for the orders placed so far. */
  List<Double> latenciesMillis() throws Exception;

  @Override
  void close() throws Exception;
}
