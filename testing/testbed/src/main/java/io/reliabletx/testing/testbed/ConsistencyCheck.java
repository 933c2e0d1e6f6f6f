package io.reliabletx.testing.testbed;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The promise, checked over both databases once the system is quiet, against what the clients were told:
 * <ul>
 *   <li>every request answered with an order (200/201) has that order, and a 202 either has it or left nothing;
 *   <li>every request refused at every attempt (no attempt left unanswered) left nothing behind, and no order
 *       exists that no client asked for, nor two orders for one idempotency key;
 *   <li>every order is CONFIRMED or CANCELLED with a COMMITTED {@code tx_log} row; every confirmed order has one
 *       DEDUCTED ledger row (keyed by {@code tx_no}) of the same order, product and amount; a cancelled one none;
 *       no ledger row without an order;
 *   <li>per product, start stock minus the units of confirmed orders is the stock now, and none is below zero.
 * </ul>
 * Each counter counts violations (rows or requests, not units); {@link Report#problems} names the first few.
 */
public final class ConsistencyCheck {

  private ConsistencyCheck() {
  }

  /**
   * What a client was told about one logical order request, over all its attempts (one idempotency key).
   *
   * @param status        HTTP status of the last attempt, 0 when it got no answer (timeout, reset, refused connection)
   * @param orderNo       the order in the last answer carrying one (200/201/202), else null
   * @param txNo          its transaction number (what a 202 is polled by), else null
   * @param attempts      how many times it was sent
   * @param everyAttemptAnswered false when some attempt got no answer: its outcome is then unknown to the client
   */
  public record ClientRequest(String key, long productId, int count, int status, String orderNo, String txNo,
                              int attempts, boolean everyAttemptAnswered) {

    boolean answeredWithOrder() {
      return status == 200 || status == 201;
    }
  }

  /**
   * @param orders     order rows
   * @param confirmed  orders CONFIRMED
   * @param cancelled  orders CANCELLED (compensated)
   * @param unresolved orders still PENDING
   * @param lost       promised effects missing: an order answered 200/201 that does not exist, a confirmed order
   *                   without its deduction, an order without its COMMITTED tx_log row or the reverse, stock that
   *                   moved less than the confirmed orders say
   * @param duplicated effects nobody was promised: two orders for one key, an order left by a refused request or
   *                   that no client asked for, a deduction for a cancelled, rolled-back or unknown order, stock that
   *                   moved more than the confirmed orders say
   * @param mismatched an order or a deduction that differs from what was asked (product, amount, order number)
   * @param negative   stock rows below zero
   * @param unitsDeducted units deducted in all (initial minus current stock)
   * @param problems   the first few violations, described
   */
  public record Report(long orders, long confirmed, long cancelled, long unresolved, long lost, long duplicated,
                       long mismatched, long negative, long unitsDeducted, List<String> problems) {

    public boolean holds() {
      return unresolved == 0 && lost == 0 && duplicated == 0 && mismatched == 0 && negative == 0;
    }

    /**
     * One line, for logs and CI: {@code orders=N faults=F lost=0 duplicated=0 negative=0 mismatched=0 unresolved=0
     * retried=R checkbacks=C resent=S}; the last three come from the run, not the databases.
     */
    public String summaryLine(long faults, long retried, long checkbacks, long resent) {
      return "orders=" + orders + " faults=" + faults + " lost=" + lost + " duplicated=" + duplicated
          + " negative=" + negative + " mismatched=" + mismatched + " unresolved=" + unresolved
          + " retried=" + retried + " checkbacks=" + checkbacks + " resent=" + resent;
    }
  }

  private record OrderRow(String orderNo, String txNo, String status, long productId, int count, String key) {
  }

  private record LedgerRow(String txNo, String orderNo, String outcome, long productId, int count) {
  }

  /** Checks both databases of the testbed; {@code initialStock} is the stock each product started with. */
  public static Report check(Testbed bed, Map<Long, Integer> initialStock) {
    return check(bed, initialStock, null);
  }

  /** As {@link #check(Testbed, Map)}, and against what each client was told ({@code requests}, null to skip). */
  public static Report check(Testbed bed, Map<Long, Integer> initialStock, List<ClientRequest> requests) {
    try (Connection orders = bed.db().rootConnection(Testbed.ORDERS_DB);
         Connection stock = bed.db().rootConnection(Testbed.STOCK_DB)) {
      return check(orders, stock, initialStock, requests);
    } catch (SQLException e) {
      throw new IllegalStateException("consistency check could not read the databases", e);
    }
  }

  public static Report check(Connection ordersDb, Connection stockDb, Map<Long, Integer> initialStock)
      throws SQLException {
    return check(ordersDb, stockDb, initialStock, null);
  }

  public static Report check(Connection ordersDb, Connection stockDb, Map<Long, Integer> initialStock,
                             List<ClientRequest> requests) throws SQLException {
    return new Checker().run(ordersDb, stockDb, initialStock, requests);
  }

  /** One run's tallies. */
  private static final class Checker {
    private final List<String> problems = new ArrayList<>();
    private long lost;
    private long duplicated;
    private long mismatched;
    private long negative;
    private long unresolved;

    Report run(Connection ordersDb, Connection stockDb, Map<Long, Integer> initialStock,
               List<ClientRequest> requests) throws SQLException {
      List<OrderRow> orders = rows(ordersDb,
          "SELECT order_no, tx_no, status, product_id, pay_count, idempotency_key FROM orders",
          rs -> new OrderRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getInt(5),
              rs.getString(6)));
      Set<String> committedTx = new HashSet<>(rows(ordersDb, "SELECT tx_no FROM tx_log WHERE state = 'COMMITTED'",
          rs -> rs.getString(1)));
      Map<String, LedgerRow> ledger = new HashMap<>();
      for (LedgerRow row : rows(stockDb, "SELECT tx_no, order_no, outcome, product_id, pay_count FROM tx_log",
          rs -> new LedgerRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getInt(5)))) {
        ledger.put(row.txNo(), row);
      }
      Map<Long, Integer> currentStock = new HashMap<>();
      rows(stockDb, "SELECT product_id, total_count FROM stock", rs -> currentStock.put(rs.getLong(1), rs.getInt(2)));

      if (requests != null) {
        checkClients(orders, ledger, requests);
      }
      long confirmed = 0;
      long cancelled = 0;
      Map<String, OrderRow> byTx = new HashMap<>();
      Map<Long, Long> confirmedUnits = new HashMap<>();
      for (OrderRow o : orders) {
        byTx.put(o.txNo(), o);
        if (!committedTx.contains(o.txNo())) {
          lost("order " + o.orderNo() + " has no COMMITTED tx_log row");
        }
        LedgerRow applied = ledger.get(o.txNo());
        switch (o.status()) {
          case "CONFIRMED" -> {
            confirmed++;
            confirmedUnits.merge(o.productId(), (long) o.count(), Long::sum);
            if (applied == null || !"DEDUCTED".equals(applied.outcome())) {
              lost("order " + o.orderNo() + " CONFIRMED but its stock ledger says " + describe(applied));
            } else {
              sameAsOrder(o, applied);
            }
          }
          case "CANCELLED" -> {
            cancelled++;
            if (applied == null) {
              lost("order " + o.orderNo() + " CANCELLED but the stock service never applied it");
            } else if (!"REJECTED".equals(applied.outcome())) {
              duplicated("order " + o.orderNo() + " CANCELLED but its stock ledger says " + applied.outcome());
            } else {
              sameAsOrder(o, applied);
            }
          }
          default -> {
            unresolved++;
            note("unresolved: order " + o.orderNo() + " (" + o.txNo() + ") still " + o.status() + ", ledger: "
                + describe(applied));
          }
        }
      }
      for (String tx : committedTx) {
        if (!byTx.containsKey(tx)) {
          lost("tx_log " + tx + " COMMITTED without an order");
        }
      }
      for (LedgerRow row : ledger.values()) {
        if (!byTx.containsKey(row.txNo())) {
          duplicated("stock ledger row " + row.txNo() + " (" + row.outcome() + ") for no order (order_no "
              + row.orderNo() + ")");
        }
      }
      long unitsDeducted = 0;
      for (Map.Entry<Long, Integer> e : currentStock.entrySet()) {
        long product = e.getKey();
        if (e.getValue() < 0) {
          negative++;
          note("negative: product " + product + " stock " + e.getValue());
        }
        Integer initial = initialStock.get(product);
        if (initial == null) {
          continue;
        }
        unitsDeducted += initial - e.getValue();
        long expected = initial - confirmedUnits.getOrDefault(product, 0L);
        if (e.getValue() < expected) {
          duplicated("product " + product + ": stock " + e.getValue() + ", but start " + initial
              + " minus confirmed units is " + expected);
        } else if (e.getValue() > expected) {
          lost("product " + product + ": stock " + e.getValue() + ", but start " + initial
              + " minus confirmed units is " + expected);
        }
      }
      return new Report(orders.size(), confirmed, cancelled, unresolved, lost, duplicated, mismatched, negative,
          unitsDeducted, List.copyOf(problems));
    }

    private void checkClients(List<OrderRow> orders, Map<String, LedgerRow> ledger, List<ClientRequest> requests) {
      Map<String, List<OrderRow>> byKey = new HashMap<>();
      for (OrderRow o : orders) {
        byKey.computeIfAbsent(String.valueOf(o.key()), k -> new ArrayList<>()).add(o);
      }
      Set<String> asked = new HashSet<>();
      for (ClientRequest r : requests) {
        asked.add(r.key());
        List<OrderRow> recorded = byKey.getOrDefault(r.key(), List.of());
        if (recorded.size() > 1) {
          duplicated("key " + r.key() + " has " + recorded.size() + " orders");
        }
        OrderRow order = recorded.isEmpty() ? null : recorded.get(0);
        if (r.answeredWithOrder()) {
          if (order == null || !order.orderNo().equals(r.orderNo())) {
            lost("key " + r.key() + " was answered " + r.status() + " with order " + r.orderNo()
                + ", which does not exist under that key");
          } else if (order.productId() != r.productId() || order.count() != r.count()) {
            mismatched("order " + order.orderNo() + " is product " + order.productId() + " x" + order.count()
                + ", its client (key " + r.key() + ") asked for product " + r.productId() + " x" + r.count());
          }
        } else if (r.status() == 202) {
          // Told "being settled": it may have been rolled back; then nothing may have been deducted for it.
          if (order == null && r.txNo() != null && ledger.containsKey(r.txNo())) {
            duplicated("key " + r.key() + " answered 202 was rolled back, yet the stock ledger applied "
                + r.txNo());
          }
        } else if (r.everyAttemptAnswered() && r.status() != 0 && order != null) {
          duplicated("key " + r.key() + " was refused (" + r.status() + ") at every attempt, yet order "
              + order.orderNo() + " exists");
        }
      }
      for (OrderRow o : orders) {
        if (!asked.contains(String.valueOf(o.key()))) {
          duplicated("order " + o.orderNo() + " (key " + o.key() + ") was asked for by no client");
        }
      }
    }

    private void sameAsOrder(OrderRow o, LedgerRow applied) {
      if (applied.productId() != o.productId() || applied.count() != o.count()
          || !applied.orderNo().equals(o.orderNo())) {
        mismatched("order " + o.orderNo() + " is product " + o.productId() + " x" + o.count()
            + ", its stock ledger row " + applied.txNo() + " says order " + applied.orderNo() + ", product "
            + applied.productId() + " x" + applied.count());
      }
    }

    private void lost(String problem) {
      lost++;
      note("lost: " + problem);
    }

    private void duplicated(String problem) {
      duplicated++;
      note("duplicated: " + problem);
    }

    private void mismatched(String problem) {
      mismatched++;
      note("mismatched: " + problem);
    }

    private void note(String problem) {
      if (problems.size() < 20) {
        problems.add(problem);
      }
    }
  }

  /** Orders still PENDING (to wait for quiescence before checking). */
  public static long pendingOrders(Testbed bed) {
    try (Connection c = bed.db().rootConnection(Testbed.ORDERS_DB)) {
      return rows(c, "SELECT COUNT(*) FROM orders WHERE status = 'PENDING'", rs -> rs.getLong(1)).get(0);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String describe(LedgerRow row) {
    return row == null ? "nothing (never applied)" : row.outcome();
  }

  private interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private static <T> List<T> rows(Connection c, String sql, RowMapper<T> mapper) throws SQLException {
    List<T> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(mapper.map(rs));
      }
    }
    return out;
  }
}
