package io.reliabletx.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/** Places orders over HTTP from many concurrent clients, as real users would; counts the answers by status. */
final class OrderLoad {

  record Result(long sent, Map<Integer, Long> byStatus, Duration elapsed) {
    long accepted() {
      return byStatus.getOrDefault(201, 0L) + byStatus.getOrDefault(202, 0L);
    }
  }

  private OrderLoad() {
  }

  /** Sends {@code orders} orders for random products in {@code productIds} with counts 1..{@code maxCount}. */
  static Result run(String orderServiceUrl, long[] productIds, int orders, int maxCount, int concurrency, long seed,
                    LongConsumer progress) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Map<Integer, Long> byStatus = new ConcurrentHashMap<>();
    AtomicLong done = new AtomicLong();
    Random random = new Random(seed);
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long start = System.nanoTime();
    for (int i = 0; i < orders; i++) {
      long productId = productIds[random.nextInt(productIds.length)];
      int count = 1 + random.nextInt(maxCount);
      pool.execute(() -> {
        int status = post(client, orderServiceUrl, productId, count);
        byStatus.merge(status, 1L, Long::sum);
        progress.accept(done.incrementAndGet());
      });
    }
    pool.shutdown();
    if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
      pool.shutdownNow();
    }
    return new Result(orders, Map.copyOf(byStatus), Duration.ofNanos(System.nanoTime() - start));
  }

  private static int post(HttpClient client, String url, long productId, int count) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/orders"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"productId\":" + productId + ",\"count\":" + count + "}"))
        .build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1; // transport failure: counted, never retried (a retry could double an order)
    }
  }
}
