package io.reliabletx.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** When each order was committed and when it was deducted (monotonic clock), for the baselines' figures. */
final class Timeline {
  private final Map<String, Long> committedAt = new ConcurrentHashMap<>();
  private final Map<String, Long> deductedAt = new ConcurrentHashMap<>();
  private final AtomicLong deducted = new AtomicLong();

  void committed(String orderNo) {
    committedAt.put(orderNo, System.nanoTime());
  }

  void deducted(String orderNo) {
    deductedAt.put(orderNo, System.nanoTime());
    deducted.incrementAndGet();
  }

  long deductedCount() {
    return deducted.get();
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
