package io.reliabletx.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reliabletx.testing.machine.Pause;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of the order service's HTTP API as a user's program would be: places orders concurrently, each with its own
 * Idempotency-Key, and retries with that same key whatever went wrong (503, a refused connection while no pod is
 * behind the Service, a timeout or a reset after sending), so a retry can never place an order twice; remembers every
 * accepted order to follow it to its outcome.
 */
final class OrderClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int RETRIES = 180;

  private final String baseUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  OrderClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** What a load run ended with: accepted orders by number, with the status they were answered with (201/202). */
  record Result(Map<String, Integer> orderNos, long refused, long transportErrors, long retries) {
    long accepted() {
      return orderNos.size();
    }

    @Override
    public String toString() {
      return "orders accepted " + accepted() + " (" + orderNos.values().stream().filter(s -> s == 202).count()
          + " of them 202), refused " + refused + ", transport errors " + transportErrors + ", retried " + retries;
    }
  }

  /**
   * One answered request: when the answer (or the failure) came, on the clock of {@link System#nanoTime}, and whether
   * the order was taken (201/202/200) or not (503, 409, a refused or reset connection, a timeout).
   */
  record Attempt(long atNanos, boolean taken, int status) {}

  /**
   * The stretch in which no order was taken: from the first failed attempt at or after {@code fromNanos} to the last
   * failed one before orders were taken again, in seconds (0 when none failed), with the statuses seen in it.
   */
  record Outage(double seconds, long failedAttempts, Map<Integer, Long> statuses) {
    static Outage after(List<Attempt> attempts, long fromNanos) {
      List<Attempt> later = attempts.stream().filter(a -> a.atNanos() >= fromNanos)
          .sorted(java.util.Comparator.comparingLong(Attempt::atNanos)).toList();
      Attempt firstFailure = later.stream().filter(a -> !a.taken()).findFirst().orElse(null);
      if (firstFailure == null) {
        return new Outage(0, 0, Map.of());
      }
      // The outage ends at the last failure before the first success that no failure follows within 2 s.
      Attempt lastFailure = firstFailure;
      for (Attempt a : later) {
        if (!a.taken()) {
          lastFailure = a;
        } else if (a.atNanos() > lastFailure.atNanos() + 2_000_000_000L) {
          break;
        }
      }
      long end = lastFailure.atNanos();
      List<Attempt> failed = later.stream().filter(a -> !a.taken() && a.atNanos() <= end).toList();
      return new Outage((end - firstFailure.atNanos()) / 1e9, failed.size(), failed.stream().collect(
          java.util.stream.Collectors.groupingBy(Attempt::status, java.util.TreeMap::new,
              java.util.stream.Collectors.counting())));
    }

    @Override
    public String toString() {
      return String.format("no order taken for %.1f s (%d failed attempts; status -> count, 0 = no HTTP answer: %s)",
          seconds, failedAttempts, statuses);
    }
  }

  final class Load {
    private final ExecutorService pool;
    private final java.util.Queue<Attempt> attempts = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Map<String, Integer> accepted = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong transportErrors = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private volatile boolean stopped;

    private Load(int orders, int clients, long pauseMillis) {
      pool = Executors.newFixedThreadPool(clients);
      AtomicInteger next = new AtomicInteger();
      for (int c = 0; c < clients; c++) {
        pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < orders && !stopped; i = next.getAndIncrement()) {
            // Every 15th order asks for far more than most: stock runs out and later orders are cancelled.
            place(1 + i % 3, i % 15 == 0 ? 450 : 1 + i % 5);
            Pause.millis(pauseMillis);
          }
        });
      }
      pool.shutdown();
    }

    /** Places no new order; those in flight go on to their answer (retries included). */
    void stop() {
      stopped = true;
    }

    private void place(long productId, int count) {
      String body = "{\"productId\":" + productId + ",\"count\":" + count + "}";
      String key = java.util.UUID.randomUUID().toString();
      for (int attempt = 0; attempt <= RETRIES; attempt++) {
        try {
          HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/orders"))
              .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
              .header("Idempotency-Key", key)
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
          int status = response.statusCode();
          boolean taken = status == 201 || status == 202 || status == 200;
          attempts.add(new Attempt(System.nanoTime(), taken, status));
          if (taken) { // 200: a retry answered with the first order
            accepted.put(JSON.readTree(response.body()).path("orderNo").asText(), status == 200 ? 201 : status);
            return;
          }
          if (status != 503 && status != 409) { // 409: the first attempt with this key is still in flight
            refused.incrementAndGet();
            return;
          }
        } catch (IOException e) {
          // Refused, reset or timed out: the same key makes sending again safe.
          attempts.add(new Attempt(System.nanoTime(), false, 0));
          transportErrors.incrementAndGet();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        retries.incrementAndGet();
        Pause.millis(1000);
      }
      refused.incrementAndGet();
    }

    long accepted() {
      return accepted.size();
    }

    /** Every answered attempt so far. */
    List<Attempt> attempts() {
      return List.copyOf(attempts);
    }

    Result await(Duration timeout) throws InterruptedException {
      if (!pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        pool.shutdownNow();
        throw new IllegalStateException("the load did not finish in " + timeout);
      }
      return new Result(Map.copyOf(accepted), refused.get(), transportErrors.get(), retries.get());
    }
  }

  Load startLoad(int orders, int clients) {
    return new Load(orders, clients, 0);
  }

  /** Orders placed by {@code clients} clients, each pausing {@code pauseMillis} after each order, until stopped. */
  Load startPacedLoad(int clients, long pauseMillis) {
    return new Load(Integer.MAX_VALUE, clients, pauseMillis);
  }

  /**
   * Orders not yet CONFIRMED or CANCELLED. An order answered 201 must exist; one answered 202 was still being settled
   * by the broker's check-back and may have been rolled back (404), which is an outcome too.
   */
  long unresolved(Map<String, Integer> orderNos) throws Exception {
    long open = 0;
    for (Map.Entry<String, Integer> order : orderNos.entrySet()) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/orders/" + order.getKey()))
          .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 404 && order.getValue() == 202) {
        continue;
      }
      JsonNode view = JSON.readTree(response.body());
      if (!List.of("CONFIRMED", "CANCELLED").contains(view.path("status").asText())) {
        open++;
      }
    }
    return open;
  }
}
