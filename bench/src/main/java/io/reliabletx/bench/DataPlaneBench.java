package io.reliabletx.bench;

import io.reliabletx.sample.common.SampleServices;
import io.reliabletx.testing.mariadb.EmbeddedMariaDb;
import io.reliabletx.testing.rocketmq.EmbeddedRocketMq;
import io.reliabletx.testing.testbed.Testbed;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Raw, outbox and the pipeline on the same MariaDB and broker, with the same order mix and clients, each measured at
 * the same two points on the same clock ({@link Timeline}). Every variant gets a warm-up, then {@code --reps}
 * repetitions; each repetition runs the variants in a rotated order (raw first, then outbox first, then the
 * pipeline first, ...), empties the tables before every pass, and runs a saturated pass (throughput) and a paced
 * one (latency without a backlog). Reported: the median and min–max over the repetitions of each figure and of each
 * ratio (ratios taken within a repetition), CPU per order by process and by part of this JVM, and a JFR profile of
 * one more saturated pass of the pipeline (not in the figures) by component.
 * {@code --orders N --clients C --consumer-threads T --warmup W --rate R --paced-orders P --reps K
 * --flush-log-at-commit 1|2 --out FILE --profile true|false --batch-size B
 * --service-properties k=v,k=v} (B: the services' consumer batch size; the properties go to both services).
 */
public final class DataPlaneBench {

  static final String CLIENT_THREAD = "bench-client-";
  private static final String RAW = "raw";
  private static final String OUTBOX = "outbox";
  private static final String PIPELINE = "pipeline";

  /** One pass of one variant. */
  record Pass(double placedPerSecond, double endToEndPerSecond, double p50, double p99, List<Double> latencies,
              double jvmCpuMsPerOrder, double databaseCpuMsPerOrder, Map<String, Double> partsMsPerOrder) {
  }

  /** One variant in one repetition. */
  record Run(int rep, int position, String variant, Pass saturated, Pass paced) {
  }

  record Load(int orders, int clients, int warmup, int rate, int pacedOrders) {
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
    int warmup = Integer.parseInt(a.getOrDefault("warmup", "4000"));
    int flush = Integer.parseInt(a.getOrDefault("flush-log-at-commit", "1"));
    int rate = Integer.parseInt(a.getOrDefault("rate", "200"));
    int pacedOrders = Integer.parseInt(a.getOrDefault("paced-orders", "2000"));
    int reps = Integer.parseInt(a.getOrDefault("reps", "5"));
    boolean profile = Boolean.parseBoolean(a.getOrDefault("profile", "true"));
    String batchSize = a.get("batch-size"); // the services' reliabletx.consumer-batch-size; their default without it
    String serviceProperties = a.getOrDefault("service-properties", ""); // k=v,k=v: more settings for both services
    Path out = Path.of(a.getOrDefault("out", "bench/results/data-plane.md"));
    Load load = new Load(orders, clients, warmup, rate, pacedOrders);

    List<Run> runs = new ArrayList<>();
    List<double[]> sends = new ArrayList<>(); // per repetition: plain, transactional msg/s
    String jfrReport = null;
    String started = LocalTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
    try (Testbed bed = Testbed.start(EmbeddedMariaDb.Options.defaults().withFlushLogAtCommit(flush),
        EmbeddedRocketMq.Settings.forTests())) {
      Map<String, Object> quiet = new LinkedHashMap<>(Map.of("spring.main.banner-mode", "off",
          "logging.level.root", "WARN", "reliabletx.consumer-threads", consumerThreads));
      if (batchSize != null) {
        quiet.put("reliabletx.consumer-batch-size", batchSize);
      }
      for (String setting : serviceProperties.split(",")) {
        if (!setting.isBlank()) {
          quiet.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
        }
      }
      Timeline timeline = new Timeline();
      Map<String, Variant> variants = new LinkedHashMap<>();
      try {
        variants.put(RAW, new RawVariant(bed, consumerThreads, timeline));
        variants.put(OUTBOX, new OutboxVariant(bed, consumerThreads, timeline));
        variants.put(PIPELINE, new PipelineVariant(bed, quiet, timeline));
        variants.values().forEach(v -> v.idle(true));
        for (Variant v : variants.values()) {
          System.out.printf("%-45s warming up (%d orders)...%n", v.name(), warmup);
          pass(v, bed, timeline, warmup, clients, 0, 0);
        }
        List<String> names = new ArrayList<>(variants.keySet());
        for (int rep = 0; rep < reps; rep++) {
          List<String> order = new ArrayList<>(names);
          Collections.rotate(order, -(rep % names.size()));
          for (int position = 0; position < order.size(); position++) {
            String name = order.get(position);
            Variant v = variants.get(name);
            Pass saturated = pass(v, bed, timeline, orders, clients, 0, 10L * rep + 1);
            Pass paced = pass(v, bed, timeline, pacedOrders, clients, rate, 10L * rep + 2);
            runs.add(new Run(rep, position, name, saturated, paced));
            System.out.printf("rep %d #%d %-10s %6.0f placed/s %6.0f end-to-end/s, saturated p99 %7.1f ms, at %d/s p50 "
                    + "%5.1f p99 %6.1f ms; CPU ms/order JVM %.2f MariaDB %.2f%n", rep + 1, position + 1, name,
                saturated.placedPerSecond(), saturated.endToEndPerSecond(), saturated.p99(), rate, paced.p50(),
                paced.p99(), saturated.jvmCpuMsPerOrder(), saturated.databaseCpuMsPerOrder());
          }
          double plain;
          double transactional;
          if (rep % 2 == 0) {
            plain = BrokerSendBench.plainPerSecond(bed, clients, orders * 2);
            transactional = BrokerSendBench.transactionalPerSecond(bed, clients, orders * 2);
          } else {
            transactional = BrokerSendBench.transactionalPerSecond(bed, clients, orders * 2);
            plain = BrokerSendBench.plainPerSecond(bed, clients, orders * 2);
          }
          sends.add(new double[] {plain, transactional});
        }
        if (profile) {
          // A pass of its own, not in the figures: the profiler's own cost stays out of them.
          System.out.printf("%-45s profiled saturated pass (JFR)...%n", variants.get(PIPELINE).name());
          try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
            recording.start();
            pass(variants.get(PIPELINE), bed, timeline, orders, clients, 0, 99);
            recording.stop();
            Path jfr = Path.of("bench/target/data-plane-pipeline.jfr");
            Files.createDirectories(jfr.getParent());
            recording.dump(jfr);
            jfrReport = breakdown(jfr);
          }
        }
      } finally {
        for (Variant v : variants.values()) {
          v.close();
        }
      }
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Path png = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.md$", "") + "-latency.png");
    Map<String, List<Double>> saturatedLatencies = new LinkedHashMap<>();
    Map<String, List<Double>> pacedLatencies = new LinkedHashMap<>();
    for (Run r : runs) {
      saturatedLatencies.computeIfAbsent(label(r.variant()), k -> new ArrayList<>()).addAll(r.saturated().latencies());
      pacedLatencies.computeIfAbsent(label(r.variant()), k -> new ArrayList<>()).addAll(r.paced().latencies());
    }
    saturatedLatencies.values().forEach(Collections::sort);
    pacedLatencies.values().forEach(Collections::sort);
    LatencyPlot.write(saturatedLatencies, pacedLatencies, rate, String.format("saturated: %d orders, %d clients; paced:"
            + " %d orders at %d/s; %d repetitions pooled; %d consumer threads, %s, %d cores", orders, clients,
        pacedOrders, rate, reps, consumerThreads, LocalDate.now(), Runtime.getRuntime().availableProcessors()), png);
    String report = report(runs, sends, load, consumerThreads, flush, reps, started)
        + (batchSize == null ? "" : String.format("%nThe services ran with reliabletx.consumer-batch-size=%s.%n", batchSize))
        + (serviceProperties.isBlank() ? "" : String.format("%nThe services ran with %s.%n", serviceProperties))
        + String.format("%n![commit→deduction latency, cumulative, all repetitions](%s)%n", png.getFileName())
        + String.format("%nWhat was changed to get here, each step measured: [tuning.md](tuning.md).%n");
    System.out.println(report);
    Files.writeString(out, report);
    if (jfrReport != null) {
      Path profileOut = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.md$", "") + "-profile.txt");
      Files.writeString(profileOut, "JFR (settings=profile) of one saturated pass of the pipeline after the repetitions: clients, both "
          + "services and the embedded broker in one JVM; each sample charged to its innermost library frame.\n\n"
          + jfrReport);
      System.out.println("profile written to " + profileOut);
    }
    System.out.println("written to " + out + " and " + png);
    System.exit(0); // RocketMQ client threads linger
  }

  private static String label(String variant) {
    return switch (variant) {
      case RAW -> "raw (insert + plain send)";
      case OUTBOX -> "outbox (order + outbox row, poller)";
      default -> "pipeline (transactional message + tx_log)";
    };
  }

  /**
   * Empties the tables, then places {@code orders} orders and waits until every one is deducted (end-to-end time)
   * and the variant has settled (CPU counted until then).
   */
  private static Pass pass(Variant variant, Testbed bed, Timeline timeline, int orders, int clients, int rate,
                           long seed) throws Exception {
    bed.truncateAll();
    bed.db().execute(Testbed.ORDERS_DB, List.of("DELETE FROM outbox"));
    for (long p = 1; p <= 5; p++) {
      bed.putProduct(p, "product-" + p, 1_000_000_000); // enough for every order: all are deducted
    }
    variant.idle(false);
    try {
      variant.beginPass();
      timeline.reset();
      long databasePid = bed.db().pid();
      CpuSnapshot before = CpuSnapshot.take(databasePid);
      long start = System.nanoTime();
      long clientCpu = drive(variant, orders, clients, seed, rate);
      double placedSeconds = (System.nanoTime() - start) / 1e9;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (!variant.settled(timeline, orders)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(variant.name() + ": only " + timeline.deductedCount() + " of " + orders
              + " deducted, or not settled, after 5 minutes");
        }
        Thread.sleep(5);
      }
      CpuSnapshot after = CpuSnapshot.take(databasePid);
      double endToEndSeconds = (timeline.lastDeductedAt() - start) / 1e9;
      List<Double> latencies = new ArrayList<>(timeline.latenciesMillis());
      Collections.sort(latencies);
      Map<String, Double> parts = new LinkedHashMap<>();
      after.partsSince(before, clientCpu).forEach((part, nanos) -> parts.put(part, nanos / 1e6 / orders));
      return new Pass(orders / placedSeconds, orders / endToEndSeconds, percentile(latencies, 0.50),
          percentile(latencies, 0.99), latencies, (after.jvmNanos() - before.jvmNanos()) / 1e6 / orders,
          (after.databaseNanos() - before.databaseNanos()) / 1e6 / orders, parts);
    } finally {
      variant.idle(true);
    }
  }

  /**
   * The same order mix for every variant: 5 products, 1-3 units, seeded. With a rate, order i is not placed before
   * start + i/rate (an open-loop schedule), so latency is the pipeline's own, not a backlog's. Returns the CPU time
   * the client threads used.
   */
  private static long drive(Variant variant, int orders, int clients, long seed, int rate) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicLong cpu = new AtomicLong();
    AtomicInteger threads = new AtomicInteger();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(clients,
        r -> new Thread(r, CLIENT_THREAD + threads.incrementAndGet()));
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int c = 0; c < clients; c++) {
      Random random = new Random(seed * 1000 + c);
      pool.execute(() -> {
        int i;
        while ((i = next.getAndIncrement()) < orders) {
          try {
            if (rate > 0) {
              long wait = start + (long) (i * 1e9 / rate) - System.nanoTime();
              if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
              }
            }
            variant.place(1 + random.nextInt(5), 1 + random.nextInt(3));
          } catch (Exception e) {
            failures.add(e);
            break;
          }
        }
        cpu.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
      });
    }
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.MINUTES);
    if (!failures.isEmpty()) {
      throw new IllegalStateException(variant.name() + ": an order failed", failures.get(0));
    }
    return cpu.get();
  }

  private static double percentile(List<Double> sorted, double p) {
    return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
  }

  /** Median (min–max) of values. */
  static String spread(List<Double> values, String format) {
    return Spread.of(values).format(format);
  }

  static double median(List<Double> values) {
    return Spread.of(values).median();
  }

  private static List<Double> of(List<Run> runs, String variant, ToDoubleFunction<Run> figure) {
    return runs.stream().filter(r -> r.variant().equals(variant)).mapToDouble(figure).boxed().toList();
  }

  /** A ratio per repetition (pipeline's figure over a baseline's in the same repetition). */
  private static List<Double> ratios(List<Run> runs, String baseline, ToDoubleFunction<Run> figure) {
    List<Double> out = new ArrayList<>();
    for (Run p : runs) {
      if (p.variant().equals(PIPELINE)) {
        runs.stream().filter(b -> b.rep() == p.rep() && b.variant().equals(baseline)).findFirst()
            .ifPresent(b -> out.add(figure.applyAsDouble(p) / figure.applyAsDouble(b)));
      }
    }
    return out;
  }

  private static String report(List<Run> runs, List<double[]> sends, Load load, int consumerThreads, int flush,
                               int reps, String started) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Data-plane benchmark\n\n");
    sb.append(String.format("Run %s (started %s) on %d cores, %d MiB heap max, Java %s; MariaDB (Debian) with"
            + " innodb_flush_log_at_trx_commit=%d; in-process RocketMQ 5.3.3 (ASYNC_FLUSH); %d consumer threads per"
            + " consumer; 5 products, 1-3 units an order. All variants share the database and broker and live in one"
            + " JVM for the whole run (the outbox poller pauses while the others run). After a warm-up of %d orders"
            + " each, **%d repetitions**, each running the variants in a rotated order and emptying the tables before"
            + " every pass: a saturated pass (%d orders, %d clients placing as fast as they can: throughput) and a paced"
            + " pass (%d orders at %d orders/s, open loop: latency without a backlog). Load average at the end: %s.%n%n",
        LocalDate.now(), started, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("java.version"), flush, consumerThreads, load.warmup(), reps, load.orders(),
        load.clients(), load.pacedOrders(), load.rate(), loadAverage()));
    sb.append("**How each variant is timed, alike:** on the JVM's monotonic clock, from just after the order's"
        + " database commit returned to just after the deduction's commit returned (the pipeline's service beans"
        + " `LocalOrderTransaction` and `StockLedger` are wrapped by the bench to mark those points). End to end ="
        + " orders / (last deduction − first order placed). CPU is counted from the first order until the variant has"
        + " settled (for the pipeline: every order CONFIRMED at the order service).\n\n");
    sb.append("**What each variant does per order.** raw: INSERT order (autocommit), plain send; consumer: conditional"
        + " UPDATE of stock (autocommit), no ledger. outbox: INSERT order + INSERT outbox row in one transaction; one"
        + " poller publishes up to 200 rows per batch send and DELETEs them; consumer: the stock service's ledger"
        + " statement for statement (INSERT tx_log, UPDATE stock, COMMIT). pipeline: the real services: half message,"
        + " INSERT order + INSERT tx_log in one transaction, commit message; stock service: its ledger, then the"
        + " outcome published; order service: the outcome consumed and the order CONFIRMED. The pipeline therefore"
        + " runs a second consumer (the outcome's) that the baselines, which have no way back, do not.\n\n");
    sb.append("Median (min–max) over the repetitions:\n\n");
    sb.append(String.format("| variant | orders/s placed | orders/s end to end | saturated p50 ms | saturated p99 ms"
        + " | at %d/s: p50 ms | p99 ms | CPU-s per 1,000 orders: this JVM | MariaDB |%n", load.rate()));
    sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String v : List.of(RAW, OUTBOX, PIPELINE)) {
      sb.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", label(v),
          spread(of(runs, v, r -> r.saturated().placedPerSecond()), "%.0f"),
          spread(of(runs, v, r -> r.saturated().endToEndPerSecond()), "%.0f"),
          spread(of(runs, v, r -> r.saturated().p50()), "%.1f"),
          spread(of(runs, v, r -> r.saturated().p99()), "%.1f"),
          spread(of(runs, v, r -> r.paced().p50()), "%.1f"),
          spread(of(runs, v, r -> r.paced().p99()), "%.1f"),
          spread(of(runs, v, r -> r.saturated().jvmCpuMsPerOrder()), "%.2f"),
          spread(of(runs, v, r -> r.saturated().databaseCpuMsPerOrder()), "%.2f")));
    }
    sb.append("\nRatios, pipeline over a baseline, taken within each repetition; median (min–max):\n\n");
    sb.append("| ratio | over raw | over outbox | goal |\n|---|---:|---:|---|\n");
    sb.append(String.format("| end-to-end throughput | %s | %s | ≥ 0.8 over raw, ≥ 1.0 over outbox |%n",
        spread(ratios(runs, RAW, r -> r.saturated().endToEndPerSecond()), "%.2f"),
        spread(ratios(runs, OUTBOX, r -> r.saturated().endToEndPerSecond()), "%.2f")));
    sb.append(String.format("| commit→deduction p99 at %d/s | %s | %s | ≤ 1.0 over raw, ≤ 0.2 over outbox |%n",
        load.rate(), spread(ratios(runs, RAW, r -> r.paced().p99()), "%.2f"),
        spread(ratios(runs, OUTBOX, r -> r.paced().p99()), "%.2f")));
    sb.append(String.format("| CPU per order, JVM + MariaDB, saturated | %s | %s | |%n",
        spread(ratios(runs, RAW, r -> r.saturated().jvmCpuMsPerOrder() + r.saturated().databaseCpuMsPerOrder()),
            "%.2f"),
        spread(ratios(runs, OUTBOX, r -> r.saturated().jvmCpuMsPerOrder() + r.saturated().databaseCpuMsPerOrder()),
            "%.2f")));

    sb.append("\nCPU-ms per order in the saturated pass by part of the JVM (median), from per-thread CPU times; the"
        + " pipeline's order side (local transaction, half and commit messages) runs on the clients' threads:\n\n");
    sb.append("| part |");
    List.of(RAW, OUTBOX, PIPELINE).forEach(v -> sb.append(' ').append(v).append(" |"));
    sb.append("\n|---|---:|---:|---:|\n");
    for (String part : CpuSnapshot.PARTS) {
      sb.append("| ").append(part).append(" |");
      for (String v : List.of(RAW, OUTBOX, PIPELINE)) {
        sb.append(String.format(" %.2f |", median(of(runs, v,
            r -> r.saturated().partsMsPerOrder().getOrDefault(part, 0.0)))));
      }
      sb.append('\n');
    }
    sb.append("| MariaDB (its own process) |");
    for (String v : List.of(RAW, OUTBOX, PIPELINE)) {
      sb.append(String.format(" %.2f |", median(of(runs, v, r -> r.saturated().databaseCpuMsPerOrder()))));
    }
    sb.append('\n');

    sb.append("\nEvery run (saturated end-to-end orders/s, paced p99 ms), in the order they ran:\n\n");
    sb.append("| repetition | 1st | 2nd | 3rd |\n|---|---|---|---|\n");
    for (int rep = 0; rep < reps; rep++) {
      int r = rep;
      sb.append("| ").append(rep + 1).append(" |");
      runs.stream().filter(x -> x.rep() == r).sorted((x, y) -> Integer.compare(x.position(), y.position()))
          .forEach(x -> sb.append(String.format(" %s %.0f/s, %.1f ms |", x.variant(),
              x.saturated().endToEndPerSecond(), x.paced().p99())));
      sb.append('\n');
    }
    List<Double> plain = sends.stream().map(s -> s[0]).toList();
    List<Double> transactional = sends.stream().map(s -> s[1]).toList();
    List<Double> sendRatios = sends.stream().map(s -> s[1] / s[0]).toList();
    sb.append(String.format("%nBroker alone, %d threads, once per repetition (order alternating): plain sends %s msg/s,"
            + " transactional sends (half + no-op local transaction + commit) %s msg/s: ratio transactional/plain"
            + " **%s**.%n", load.clients(), spread(plain, "%.0f"), spread(transactional, "%.0f"),
        spread(sendRatios, "%.2f")));
    sb.append("\nProfile of one more saturated pass of the pipeline, not in the figures above (JFR): [data-plane-profile.txt](data-plane-profile.txt).\n");
    return sb.toString();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[0];
    } catch (Exception e) {
      return "?";
    }
  }

  /** {@link JfrBreakdown}'s report of a recording (it prints to standard output). */
  private static String breakdown(Path jfr) throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      JfrBreakdown.main(new String[] {jfr.toString()});
    } finally {
      System.setOut(stdout);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
