package io.reliabletx.order.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CheckBackPoolTest {

  @Test
  void checkBacksWaitingOnTheDatabaseRunSideBySideUpToThePoolSize() throws Exception {
    ThreadPoolExecutor pool = TransactionalProducerConfiguration.checkBackPool(new SimpleMeterRegistry());
    CountDownLatch running = new CountDownLatch(TransactionalProducerConfiguration.CHECK_BACK_THREADS);
    CountDownLatch release = new CountDownLatch(1);
    try {
      // More slow check-backs than threads, far fewer than the queue holds: all threads must be busy at once.
      for (int i = 0; i < 3 * TransactionalProducerConfiguration.CHECK_BACK_THREADS; i++) {
        pool.execute(() -> {
          running.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
      }
      assertThat(running.await(5, TimeUnit.SECONDS)).as("%d check-backs running at once",
          TransactionalProducerConfiguration.CHECK_BACK_THREADS - running.getCount()).isTrue();
      assertThat(pool.getActiveCount()).isEqualTo(TransactionalProducerConfiguration.CHECK_BACK_THREADS);
    } finally {
      release.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }
}
