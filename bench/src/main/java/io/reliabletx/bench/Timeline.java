package io.reliabletx.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When each order's commit returned and when its deduction's commit returned, on the JVM's monotonic clock, for
 * every variant alike.
 */
final class Timeline {
  private final Map<String, Long> committedAt = new ConcurrentHashMap<>();
  private final Map<String, Long> deductedAt = new ConcurrentHashMap<>();
  private final AtomicLong deducted = new AtomicLong();
  private volatile long lastDeductedAt;

  void committed(String orderNo) {
    committedAt.put(orderNo, System.nanoTime());
  }

  void deducted(String orderNo) {
    long now = System.nanoTime();
    if (deductedAt.putIfAbsent(orderNo, now) == null) {
      lastDeductedAt = now;
      deducted.incrementAndGet();
    }
  }

  long deductedCount() {
    return deducted.get();
  }

  /** {@link System#nanoTime()} of the latest deduction. */
  long lastDeductedAt() {
    return lastDeductedAt;
  }

  void reset() {
    committedAt.clear();
    deductedAt.clear();
    deducted.set(0);
  }

  List<Double> latenciesMillis() {
    List<Double> out = new ArrayList<>();
    deductedAt.forEach((orderNo, at) -> {
      Long committed = committedAt.get(orderNo);
      if (committed != null) {
        out.add((at - committed) / 1e6);
      }
    });
    return out;
  }
}
