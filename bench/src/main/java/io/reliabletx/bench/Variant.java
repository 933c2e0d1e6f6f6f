package io.reliabletx.bench;

/**
 * One way of getting "order recorded" to "stock deducted". Every variant marks the same two points on the same
 * {@link Timeline} (the JVM's monotonic clock): just after the order's database commit returned, and just after
 * the deduction's commit returned.
 */
interface Variant extends AutoCloseable {

  String name();

  /** Records one order and gets its message on its way; returns once the order is committed. */
  void place(long productId, int count) throws Exception;

  /** Called before each pass, after the tables were emptied. */
  default void beginPass() throws Exception {
  }

  /**
   * Whether the work of the last {@code orders} orders is all done, beyond their deduction (the pipeline's outcome
   * flowing back to the order); CPU is counted until then.
   */
  default boolean settled(Timeline timeline, int orders) throws Exception {
    return timeline.deductedCount() >= orders;
  }

  /** Whether the variant is between its passes: background work (a poller) pauses so that it costs the others nothing. */
  default void idle(boolean idle) {
  }

  @Override
  void close() throws Exception;
}
