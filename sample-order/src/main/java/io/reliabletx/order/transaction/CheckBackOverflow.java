package io.reliabletx.order.transaction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a check-back when the check-back pool and its queue are full: it is dropped, counted, and logged
 * at most once per interval. The broker asks again on a later round (an unanswered check is how it learns nothing),
 * so dropping loses no decision. Without this the client logs every rejection with a stack trace: a broker that
 * re-checks thousands of half messages after a crash once wrote 1.6 GB of log in eight minutes that way.
 */
final class CheckBackOverflow implements RejectedExecutionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(CheckBackOverflow.class);

  private final Counter dropped;
  private final long logEveryNanos;
  private final AtomicLong droppedSinceLog = new AtomicLong();
  private final AtomicLong lastLogNanos;

  CheckBackOverflow(MeterRegistry meters, long logEveryMillis) {
    this.dropped = Counter.builder("reliabletx.checkbacks.dropped")
        .description("Check-backs dropped because the check-back pool was full; the broker asks again")
        .register(meters);
    this.logEveryNanos = logEveryMillis * 1_000_000;
    this.lastLogNanos = new AtomicLong(System.nanoTime() - logEveryNanos);
  }

  @Override
  public void rejectedExecution(Runnable checkBack, ThreadPoolExecutor pool) {
    dropped.increment();
    long pending = droppedSinceLog.incrementAndGet();
    long now = System.nanoTime();
    long last = lastLogNanos.get();
    if (now - last >= logEveryNanos && lastLogNanos.compareAndSet(last, now)) {
      droppedSinceLog.addAndGet(-pending);
      LOG.warn("check-back pool full ({} queued): dropped {} check-back(s) since the last report; the broker will ask"
          + " again", pool.getQueue().size(), pending);
    }
  }
}
