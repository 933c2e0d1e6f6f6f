package io.reliabletx.bench;

import io.reliabletx.sample.common.SampleServices;
import io.reliabletx.testing.mariadb.EmbeddedMariaDb;
import io.reliabletx.testing.rocketmq.EmbeddedRocketMq;
import io.reliabletx.testing.testbed.Testbed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the three variants on the same MariaDB and broker, with the same order mix and clients, one after the
 * other, and reports each one's figures and the ratios against the baselines measured in the same run.
 * {@code --orders N --clients C --consumer-threads T --warmup W --rate R --paced-orders P --flush-log-at-commit 1|2
 * --out FILE}.
 */
public final class DataPlaneBench {

  /** Latencies of one pass, sorted. */
  record Latencies(double p50, double p99, List<Double> sorted) {
    static Latencies of(List<Double> millis) {
      List<Double> sorted = new ArrayList<>(millis);
      Collections.sort(sorted);
      return new Latencies(percentile(sorted, 0.50), percentile(sorted, 0.99), sorted);
    }
  }

  /** A saturated pass (clients as fast as they can: throughput, and latency that is mostly backlog) and a paced one. */
  record Figures(String variant, int orders, double placedPerSecond, double endToEndPerSecond, Latencies saturated,
                 Latencies paced) {
  }

  public static void main(String[] args) throws Exception {
    SampleServices.preferLogback();
    System.setProperty("java.awt.headless", "true"); // the latency plot is drawn off-screen
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int orders = Integer.parseInt(a.getOrDefault("orders", "4000"));
    int clients = Integer.parseInt(a.getOrDefault("clients", "16"));
    int consumerThreads = Integer.parseInt(a.getOrDefault("consumer-threads", "8"));
    int warmup = Integer.parseInt(a.getOrDefault("warmup", "1000"));
    int flush = Integer.parseInt(a.getOrDefault("flush-log-at-commit", "1"));
    int rate = Integer.parseInt(a.getOrDefault("rate", "200"));
    int pacedOrders = Integer.parseInt(a.getOrDefault("paced-orders", "2000"));
    Path out = Path.of(a.getOrDefault("out", "bench/results/data-plane.md"));

    List<Figures> results = new ArrayList<>();
    double plain;
    double transactional;
    try (Testbed bed = Testbed.start(EmbeddedMariaDb.Options.defaults().withFlushLogAtCommit(flush),
        EmbeddedRocketMq.Settings.forTests())) {
      Map<String, Object> quiet = new LinkedHashMap<>(Map.of("spring.main.banner-mode", "off",
          "logging.level.root", "WARN", "reliabletx.consumer-threads", consumerThreads));
      Load load = new Load(orders, clients, warmup, rate, pacedOrders);
      results.add(measure(new RawVariant(bed, consumerThreads), bed, load));
      results.add(measure(new OutboxVariant(bed, consumerThreads), bed, load));
      results.add(measure(new PipelineVariant(bed, quiet), bed, load));
      plain = BrokerSendBench.plainPerSecond(bed, clients, orders * 2);
      transactional = BrokerSendBench.transactionalPerSecond(bed, clients, orders * 2);
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Path png = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.md$", "") + "-latency.png");
    Map<String, List<Double>> saturated = new LinkedHashMap<>();
    Map<String, List<Double>> paced = new LinkedHashMap<>();
    results.forEach(f -> saturated.put(f.variant(), f.saturated().sorted()));
    results.forEach(f -> paced.put(f.variant(), f.paced().sorted()));
    LatencyPlot.write(saturated, paced, rate, String.format("saturated: %d orders, %d clients; paced: %d orders at %d/s;"
        + " %d consumer threads, %s, %d cores", orders, clients, pacedOrders, rate, consumerThreads, LocalDate.now(),
        Runtime.getRuntime().availableProcessors()), png);
    String report = report(results, plain, transactional, orders, clients, consumerThreads, flush, rate, pacedOrders)
        + String.format("%n![commit→deduction latency, cumulative](%s)%n", png.getFileName())
        + String.format("%nWhat was changed to get here, each step measured: [tuning.md](tuning.md).%n");
    System.out.println(report);
    Files.writeString(out, report);
    System.out.println("written to " + out + " and " + png);
    System.exit(0); // RocketMQ client threads linger
  }

  record Load(int orders, int clients, int warmup, int rate, int pacedOrders) {
  }

  private static Figures measure(Variant variant, Testbed bed, Load load) throws Exception {
    bed.truncateAll();
    for (long p = 1; p <= 5; p++) {
      bed.putProduct(p, "product-" + p, 1_000_000_000); // enough for every order: all are deducted
    }
    try (variant) {
      System.out.printf("%-45s warming up (%d orders)...%n", variant.name(), load.warmup());
      drive(variant, load.warmup(), load.clients(), 1, 0);
      awaitDeducted(variant, load.warmup());
      variant.resetStats();
      System.out.printf("%-45s saturated (%d orders, %d clients)...%n", variant.name(), load.orders(), load.clients());
      long start = System.nanoTime();
      drive(variant, load.orders(), load.clients(), 2, 0);
      double placedSeconds = (System.nanoTime() - start) / 1e9;
      awaitDeducted(variant, load.orders());
      double endToEndSeconds = (System.nanoTime() - start) / 1e9;
      Latencies saturated = Latencies.of(variant.latenciesMillis());

      variant.resetStats();
      System.out.printf("%-45s paced (%d orders at %d/s)...%n", variant.name(), load.pacedOrders(), load.rate());
      drive(variant, load.pacedOrders(), load.clients(), 3, load.rate());
      awaitDeducted(variant, load.pacedOrders());
      Latencies paced = Latencies.of(variant.latenciesMillis());

      Figures f = new Figures(variant.name(), load.orders(), load.orders() / placedSeconds,
          load.orders() / endToEndSeconds, saturated, paced);
      System.out.printf("%-45s %.0f placed/s, %.0f end-to-end/s, saturated p50 %.1f ms p99 %.1f ms,"
              + " at %d/s p50 %.1f ms p99 %.1f ms%n", f.variant(), f.placedPerSecond(), f.endToEndPerSecond(),
          saturated.p50(), saturated.p99(), load.rate(), paced.p50(), paced.p99());
      return f;
    }
  }

  /**
   * The same order mix for every variant: 5 products, 1-3 units, seeded. With a rate, order i is not placed before
   * start + i/rate (an open-loop schedule), so latency is the pipeline's own, not a backlog's.
   */
  private static void drive(Variant variant, int orders, int clients, long seed, int rate) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    for (int c = 0; c < clients; c++) {
      Random random = new Random(seed * 1000 + c);
      pool.execute(() -> {
        int i;
        while ((i = next.getAndIncrement()) < orders) {
          try {
            if (rate > 0) {
              long due = start + (long) (i * 1e9 / rate);
              long wait = due - System.nanoTime();
              if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
              }
            }
            variant.place(1 + random.nextInt(5), 1 + random.nextInt(3));
          } catch (Exception e) {
            throw new IllegalStateException(variant.name() + ": order failed", e);
          }
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.MINUTES);
  }

  private static void awaitDeducted(Variant variant, int orders) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (variant.deducted() < orders) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(variant.name() + ": only " + variant.deducted() + " of " + orders + " deducted");
      }
      Thread.sleep(20);
    }
  }

  private static double percentile(List<Double> sorted, double p) {
    return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
  }

  private static String report(List<Figures> r, double plain, double transactional, int orders, int clients,
                               int consumerThreads, int flush, int rate, int pacedOrders) {
    Figures raw = r.get(0);
    Figures outbox = r.get(1);
    Figures pipeline = r.get(2);
    StringBuilder sb = new StringBuilder();
    sb.append("# Data-plane benchmark\n\n");
    sb.append(String.format("Run %s on %d cores, %d MiB heap max, Java %s; MariaDB %s with innodb_flush_log_at_trx_commit=%d;"
            + " in-process RocketMQ %s (ASYNC_FLUSH); %d consumer threads; 5 products, 1-3 units an order. All variants"
            + " share the database and broker and run one after the other in one process. Each variant: a warm-up, then"
            + " a saturated pass (%d orders, %d clients placing as fast as they can: throughput), then a paced pass"
            + " (%d orders at %d orders/s, below every variant's capacity: latency without a backlog).%n%n",
        LocalDate.now(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("java.version"), "(Debian)", flush, "5.3.3", consumerThreads, orders, clients, pacedOrders,
        rate));
    sb.append(String.format("| variant | orders/s placed | orders/s end to end | saturated: commit→deduction p50 ms | p99 ms"
        + " | at %d/s: p50 ms | p99 ms |%n", rate));
    sb.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (Figures f : r) {
      sb.append(String.format("| %s | %.0f | %.0f | %.1f | %.1f | %.1f | %.1f |%n", f.variant(), f.placedPerSecond(),
          f.endToEndPerSecond(), f.saturated().p50(), f.saturated().p99(), f.paced().p50(), f.paced().p99()));
    }
    sb.append(String.format("%nRatios (same run): pipeline/raw end-to-end throughput **%.2f**, pipeline/outbox **%.2f**;"
            + " p99 latency at %d/s pipeline/raw **%.2f**, pipeline/outbox **%.2f** (saturated: %.2f and %.2f).%n",
        pipeline.endToEndPerSecond() / raw.endToEndPerSecond(), pipeline.endToEndPerSecond() / outbox.endToEndPerSecond(),
        rate, pipeline.paced().p99() / raw.paced().p99(), pipeline.paced().p99() / outbox.paced().p99(),
        pipeline.saturated().p99() / raw.saturated().p99(), pipeline.saturated().p99() / outbox.saturated().p99()));
    sb.append(String.format("%nBroker alone, %d threads: plain sends %.0f msg/s, transactional sends (half + no-op local"
        + " transaction + commit) %.0f msg/s: ratio transactional/plain **%.2f**.%n", clients, plain, transactional,
        transactional / plain));
    return sb.toString();
  }
}
