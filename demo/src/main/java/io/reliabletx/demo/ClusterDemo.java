package io.reliabletx.demo;

import io.reliabletx.testing.testbed.ConsistencyCheck;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo's client side against a pipeline running in Kubernetes (scripts/demo.sh): places orders through the order
 * service's Service, follows them until none is pending, then checks both databases of the pipeline's MySQL and
 * prints the consistency report. The database addresses and credentials come from the environment (the script reads
 * them from the pipeline's Secret), never from the command line.
 */
final class ClusterDemo {
  static final String ORDERS_JDBC_URL = "DEMO_ORDERS_JDBC_URL";
  static final String STOCK_JDBC_URL = "DEMO_STOCK_JDBC_URL";
  static final String ORDERS_USER = "DEMO_ORDERS_USER";
  static final String ORDERS_PASSWORD = "DEMO_ORDERS_PASSWORD";
  static final String STOCK_USER = "DEMO_STOCK_USER";
  static final String STOCK_PASSWORD = "DEMO_STOCK_PASSWORD";

  private ClusterDemo() {}

  /** {@code cluster --order-url URL [--orders N] [--max-count N] [--concurrency N]}; exit 0 when every invariant holds. */
  static int run(Map<String, String> options, PrintStream out) throws Exception {
    String url = options.get("order-url");
    int orders = Integer.parseInt(options.getOrDefault("orders", "300"));
    int maxCount = Integer.parseInt(options.getOrDefault("max-count", "40"));
    int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "16"));
    if (url == null || orders <= 0 || maxCount <= 0 || concurrency <= 0) {
      throw new IllegalArgumentException("usage: cluster --order-url URL [--orders N] [--max-count N] [--concurrency N]");
    }
    try (Connection ordersDb = connect(ORDERS_JDBC_URL, ORDERS_USER, ORDERS_PASSWORD);
         Connection stockDb = connect(STOCK_JDBC_URL, STOCK_USER, STOCK_PASSWORD)) {
      Map<Long, Integer> initial = stock(stockDb);
      long[] productIds = initial.keySet().stream().mapToLong(Long::longValue).toArray();
      out.printf("placing %d orders (1-%d units each) over products %s with %d concurrent clients through %s%n",
          orders, maxCount, initial, concurrency, url);
      ProgressBar placing = new ProgressBar(out, "placing ", orders, true);
      OrderLoad.Result load = OrderLoad.run(url, productIds, orders, maxCount, concurrency, 42,
          done -> placing.update(done, ""));
      placing.finish();

      ProgressBar settling = new ProgressBar(out, "settling", load.accepted(), false);
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      long pending;
      do {
        pending = pending(ordersDb);
        settling.update(load.accepted() - pending, pending == 0 ? "all resolved" : pending + " pending");
        if (pending > 0) {
          Thread.sleep(500);
        }
      } while (pending > 0 && System.nanoTime() < deadline);
      settling.finish();
      double seconds = load.elapsed().toNanos() / 1e9;

      ConsistencyCheck.Report r = ConsistencyCheck.check(ordersDb, stockDb, initial);
      long refused = load.byStatus().entrySet().stream().filter(e -> e.getKey() >= 400).mapToLong(Map.Entry::getValue).sum();
      out.println();
      out.println("Consistency report (pipeline in Kubernetes)");
      out.printf("  orders accepted (HTTP 201/202)   %7d   refused %d, transport errors %d%n", load.accepted(), refused,
          load.byStatus().getOrDefault(-1, 0L));
      out.printf("  confirmed (stock deducted)       %7d%n", r.confirmed());
      out.printf("  cancelled (compensated)          %7d%n", r.cancelled());
      out.printf("  still pending                    %7d%n", r.unresolved());
      out.printf("  stock deducted (units)           %7d   of %d in stock at start%n", r.unitsDeducted(),
          initial.values().stream().mapToLong(Integer::longValue).sum());
      out.printf("  invariants: lost=%d duplicated=%d negative=%d unresolved=%d mismatched=%d -> %s%n", r.lost(),
          r.duplicated(), r.negative(), r.unresolved(), r.mismatched(), r.holds() ? "HOLD" : "VIOLATED");
      r.problems().forEach(p -> out.println("    ! " + p));
      out.printf("Throughput: %.0f orders/s accepted over HTTP through the Service%n", load.accepted() / seconds);
      if (load.accepted() == 0) {
        out.println("FAILED: the order service accepted no order (is " + url + " reachable from this machine?)");
        return 1;
      }
      return r.holds() && r.unresolved() == 0 ? 0 : 1;
    }
  }

  private static Connection connect(String urlEnv, String userEnv, String passwordEnv) throws SQLException {
    return DriverManager.getConnection(env(urlEnv), env(userEnv), env(passwordEnv));
  }

  private static String env(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("environment variable " + name + " is not set (scripts/demo.sh sets it)");
    }
    return value;
  }

  private static Map<Long, Integer> stock(Connection stockDb) throws SQLException {
    Map<Long, Integer> stock = new LinkedHashMap<>();
    try (Statement st = stockDb.createStatement();
         ResultSet rs = st.executeQuery("SELECT product_id, total_count FROM stock ORDER BY product_id")) {
      while (rs.next()) {
        stock.put(rs.getLong(1), rs.getInt(2));
      }
    }
    return stock;
  }

  private static long pending(Connection ordersDb) throws SQLException {
    try (Statement st = ordersDb.createStatement();
         ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM orders WHERE status = 'PENDING'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
