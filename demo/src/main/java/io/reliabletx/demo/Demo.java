package io.reliabletx.demo;

import io.reliabletx.messages.MessageCodec;
import io.reliabletx.messages.OrderPlaced;
import io.reliabletx.sample.common.SampleServices;
import io.reliabletx.testing.testbed.ConsistencyCheck;
import io.reliabletx.testing.testbed.Testbed;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;

/**
 * The embedded-default demo: MariaDB, RocketMQ and both services on this machine; many concurrent orders over a few
 * products (more demand than stock, so some are cancelled by compensation); a batch of deliberate redeliveries;
 * then the consistency report. Exit code 0 when every invariant holds.
 */
public final class Demo {

  /**
   * @param orders      orders to place
   * @param products    products to spread them over
   * @param stock       initial stock of each product
   * @param maxCount    each order asks for 1..maxCount units
   * @param concurrency concurrent HTTP clients
   * @param redeliver   committed order messages to deliver a second time (duplicates the stock ledger must absorb)
   */
  public record Scenario(int orders, int products, int stock, int maxCount, int concurrency, int redeliver) {

    static Scenario parse(String[] args) {
      Map<String, String> a = new LinkedHashMap<>();
      for (int i = 0; i < args.length; i++) {
        if (!args[i].startsWith("--") || i + 1 >= args.length) {
          throw new IllegalArgumentException("usage: demo [--orders N] [--products N] [--stock N] [--max-count N]"
              + " [--concurrency N] [--redeliver N]; got '" + args[i] + "'");
        }
        a.put(args[i].substring(2), args[++i]);
      }
      int orders = positive(a, "orders", 1000);
      int products = positive(a, "products", 3);
      Scenario s = new Scenario(orders, products, positive(a, "stock", Math.max(1, orders / 2)),
          positive(a, "max-count", 3), positive(a, "concurrency", 32),
          Integer.parseInt(a.getOrDefault("redeliver", String.valueOf(Math.min(50, orders)))));
      a.keySet().removeAll(List.of("orders", "products", "stock", "max-count", "concurrency", "redeliver"));
      if (!a.isEmpty()) {
        throw new IllegalArgumentException("unknown option(s): " + a.keySet());
      }
      return s;
    }

    private static int positive(Map<String, String> a, String key, int fallback) {
      int v = Integer.parseInt(a.getOrDefault(key, String.valueOf(fallback)));
      if (v <= 0) {
        throw new IllegalArgumentException("--" + key + " must be positive, got " + v);
      }
      return v;
    }
  }

  /** What a run measured. */
  public record Outcome(ConsistencyCheck.Report report, long accepted, Map<Integer, Long> httpStatuses,
                        double acceptedPerSecond, double endToEndPerSecond, long duplicatesAbsorbed,
                        long checkBacks) {
  }

  /** Quiet services: the demo's own lines are the output. */
  static final Map<String, Object> QUIET = Map.of("spring.main.banner-mode", "off", "logging.level.root", "WARN",
      "logging.level.io.reliabletx", "WARN");

  public static void main(String[] args) {
    SampleServices.preferLogback();
    if (args.length > 0 && args[0].equals("cluster")) {
      System.exit(cluster(java.util.Arrays.copyOfRange(args, 1, args.length)));
      return;
    }
    Scenario scenario;
    try {
      scenario = Scenario.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    int code;
    try {
      code = run(scenario, System.out).report().holds() ? 0 : 1;
    } catch (Exception e) {
      e.printStackTrace();
      code = 3;
    }
    // RocketMQ's client leaves non-daemon threads behind; everything we started is closed by now.
    System.exit(code);
  }

  /** The client side of the Kubernetes demo (scripts/demo.sh): see {@link ClusterDemo}. */
  private static int cluster(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        System.err.println("usage: cluster --order-url URL [--orders N] [--max-count N] [--concurrency N]; got '" + args[i] + "'");
        return 2;
      }
      options.put(args[i].substring(2), args[++i]);
    }
    try {
      return ClusterDemo.run(options, System.out);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    } catch (Exception e) {
      e.printStackTrace();
      return 3;
    }
  }

  public static Outcome run(Scenario s, PrintStream out) throws Exception {
    out.printf("reliable-tx demo: %d orders over %d products (stock %d each, 1-%d units an order), %d concurrent"
        + " clients%n", s.orders(), s.products(), s.stock(), s.maxCount(), s.concurrency());
    long t = System.nanoTime();
    try (Testbed bed = Testbed.start()) {
      out.printf("[1/4] MariaDB on 127.0.0.1:%d and RocketMQ (name server %s) up in %.1f s%n", bed.db().port(),
          bed.mq().nameServerAddress(), seconds(t));
      long[] productIds = new long[s.products()];
      Map<Long, Integer> initial = new LinkedHashMap<>();
      for (int i = 0; i < s.products(); i++) {
        productIds[i] = i + 1;
        bed.putProduct(i + 1, "product-" + (i + 1), s.stock());
        initial.put((long) i + 1, s.stock());
      }
      t = System.nanoTime();
      try (ServicePair services = ServicePair.start(bed, QUIET)) {
        out.printf("[2/4] order service %s and stock service %s up in %.1f s%n", services.orderServiceUrl(),
            services.stockServiceUrl(), seconds(t));

        ProgressBar placing = new ProgressBar(out, "[3/4] placing", s.orders(), true);
        long loadStart = System.nanoTime();
        OrderLoad.Result load = OrderLoad.run(services.orderServiceUrl(), productIds, s.orders(), s.maxCount(),
            s.concurrency(), 42, done -> placing.update(done, ""));
        placing.finish();

        ProgressBar settling = new ProgressBar(out, "[4/4] settling", load.accepted(), false);
        long pending = awaitSettled(bed, load.accepted(), settling, Duration.ofSeconds(120));
        settling.finish();
        double endToEndSeconds = seconds(loadStart);

        long duplicatesBefore = (long) ServicePair.counter(services.stockMeters(), "reliabletx.duplicates.skipped");
        int redelivered = redeliver(bed, s.redeliver());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (ServicePair.counter(services.stockMeters(), "reliabletx.duplicates.skipped") - duplicatesBefore
            < redelivered && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        long duplicates = (long) ServicePair.counter(services.stockMeters(), "reliabletx.duplicates.skipped");
        long checkBacks = (long) ServicePair.counter(services.orderMeters(), "reliabletx.checkbacks");

        ConsistencyCheck.Report report = ConsistencyCheck.check(bed, initial);
        Outcome outcome = new Outcome(report, load.accepted(), load.byStatus(),
            load.accepted() * 1e9 / load.elapsed().toNanos(),
            (report.confirmed() + report.cancelled()) / endToEndSeconds, duplicates, checkBacks);
        print(out, s, outcome, redelivered, pending);
        return outcome;
      }
    }
  }

  private static long awaitSettled(Testbed bed, long accepted, ProgressBar bar, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pending;
    do {
      pending = ConsistencyCheck.pendingOrders(bed);
      bar.update(accepted - pending, pending == 0 ? "all resolved" : pending + " pending");
      if (pending == 0) {
        break;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    return pending;
  }

  /** Publishes the messages of {@code n} committed orders once more, as a broker redelivery would. */
  private static int redeliver(Testbed bed, int n) throws Exception {
    if (n <= 0) {
      return 0;
    }
    List<OrderPlaced> again = new ArrayList<>();
    try (Connection c = bed.db().rootConnection(Testbed.ORDERS_DB); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT tx_no, order_no, product_id, pay_count FROM orders ORDER BY RAND() LIMIT " + n)) {
      while (rs.next()) {
        again.add(new OrderPlaced(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4)));
      }
    }
    DefaultMQProducer producer = new DefaultMQProducer("demo-redelivery");
    producer.setNamesrvAddr(bed.mq().nameServerAddress());
    producer.setInstanceName("demo-redelivery");
    producer.start();
    try {
      for (OrderPlaced o : again) {
        producer.send(new Message(Testbed.TOPIC, "OrderPlaced", o.txNo(), MessageCodec.encode(o)));
      }
    } finally {
      producer.shutdown();
    }
    return again.size();
  }

  private static void print(PrintStream out, Scenario s, Outcome o, int redelivered, long pending) {
    ConsistencyCheck.Report r = o.report();
    long refused = o.httpStatuses().entrySet().stream().filter(e -> e.getKey() >= 400).mapToLong(Map.Entry::getValue).sum();
    out.println();
    out.println("Consistency report");
    out.printf("  orders accepted (HTTP 201/202)   %7d   refused %d, transport errors %d%n", o.accepted(), refused,
        o.httpStatuses().getOrDefault(-1, 0L));
    out.printf("  confirmed (stock deducted)       %7d%n", r.confirmed());
    out.printf("  cancelled (compensated)          %7d%n", r.cancelled());
    out.printf("  still pending                    %7d%n", r.unresolved());
    out.printf("  stock deducted (units)           %7d   of %d in stock at start%n", r.unitsDeducted(),
        (long) s.stock() * s.products());
    out.printf("  duplicates absorbed              %7d   (%d redelivered on purpose)%n", o.duplicatesAbsorbed(),
        redelivered);
    out.printf("  check-backs answered             %7d%n", o.checkBacks());
    out.printf("  invariants: lost=%d duplicated=%d negative=%d unresolved=%d mismatched=%d -> %s%n", r.lost(),
        r.duplicated(), r.negative(), r.unresolved(), r.mismatched(), r.holds() ? "HOLD" : "VIOLATED");
    r.problems().forEach(p -> out.println("    ! " + p));
    out.printf("Throughput: %.0f orders/s accepted over HTTP, %.0f orders/s end to end (placed -> resolved)%n",
        o.acceptedPerSecond(), o.endToEndPerSecond());
    if (pending > 0) {
      out.printf("WARNING: %d orders were still pending when the wait ended%n", pending);
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
