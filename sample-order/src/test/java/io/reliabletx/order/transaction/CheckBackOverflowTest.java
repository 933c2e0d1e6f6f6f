package io.reliabletx.order.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CheckBackOverflowTest {

  @Test
  void aFullPoolDropsAndCountsCheckBacksInsteadOfThrowing() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    CountDownLatch release = new CountDownLatch(1);
    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(2),
        new CheckBackOverflow(meters, 60_000));
    try {
      pool.execute(() -> await(release)); // the one thread is busy, the queue takes 2 more
      assertThatCode(() -> {
        for (int i = 0; i < 10; i++) {
          pool.submit(() -> { });
        }
      }).doesNotThrowAnyException();
      assertThat(meters.counter("reliabletx.checkbacks.dropped").count()).isEqualTo(8);
      assertThat(pool.getQueue()).hasSize(2);
    } finally {
      release.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
