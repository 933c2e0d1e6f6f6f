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
 * The invariants of the pattern, checked over both databases once the system is quiet (DESIGN.md): every confirmed
 * order deducted exactly once, every cancelled order deducted zero times, no deduction without an order, no stock
 * below zero, no {@code tx_log} row without its effect, and nothing left unresolved.
 */
public final class ConsistencyCheck {

  private ConsistencyCheck() {
  }

  /**
   * @param orders      order rows
   * @param confirmed   orders CONFIRMED
   * @param cancelled   orders CANCELLED (compensated)
   * @param unresolved  orders still PENDING
   * @param lost        orders whose stock effect is missing or contradicts them (confirmed without a deduction,
   *                    resolved but never applied by the stock service), plus committed tx_log rows without an order
   * @param duplicated  units of stock deducted beyond the ledger, or deductions recorded for cancelled orders
   * @param orphans     stock ledger rows for orders that do not exist
   * @param negative    stock rows below zero
   * @param unitsDeducted units deducted in all (initial minus current stock)
   * @param problems    the first few offending rows, described
   */
  public record Report(long orders, long confirmed, long cancelled, long unresolved, long lost, long duplicated,
                       long orphans, long negative, long unitsDeducted, List<String> problems) {

    public boolean holds() {
      return unresolved == 0 && lost == 0 && duplicated == 0 && orphans == 0 && negative == 0;
    }

    /** One line, for logs and CI: {@code orders=N faults=F lost=0 duplicated=0 negative=0 unresolved=0}. */
    public String summaryLine(long faults) {
      return "orders=" + orders + " faults=" + faults + " lost=" + lost + " duplicated=" + duplicated
          + " negative=" + negative + " unresolved=" + unresolved + " orphans=" + orphans;
    }
  }

  private record OrderRow(String orderNo, String txNo, String status, long productId, int count) {
  }

  private record LedgerRow(String orderNo, String outcome, long productId, int count) {
  }

  /** Checks both databases of the testbed; {@code initialStock} is the stock each product started with. */
  public static Report check(Testbed bed, Map<Long, Integer> initialStock) {
    try (Connection orders = bed.db().rootConnection(Testbed.ORDERS_DB);
         Connection stock = bed.db().rootConnection(Testbed.STOCK_DB)) {
      return check(orders, stock, initialStock);
    } catch (SQLException e) {
      throw new IllegalStateException("consistency check could not read the databases", e);
    }
  }

  public static Report check(Connection ordersDb, Connection stockDb, Map<Long, Integer> initialStock)
      throws SQLException {
    List<OrderRow> orders = rows(ordersDb, "SELECT order_no, tx_no, status, product_id, pay_count FROM orders",
        rs -> new OrderRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getInt(5)));
    Set<String> committedTx = new HashSet<>(rows(ordersDb, "SELECT tx_no FROM tx_log WHERE state = 'COMMITTED'",
        rs -> rs.getString(1)));
    Map<String, LedgerRow> ledger = new HashMap<>();
    for (LedgerRow row : rows(stockDb, "SELECT order_no, outcome, product_id, pay_count FROM tx_log",
        rs -> new LedgerRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4)))) {
      ledger.put(row.orderNo(), row);
    }
    Map<Long, Integer> currentStock = new HashMap<>();
    rows(stockDb, "SELECT product_id, total_count FROM stock", rs -> currentStock.put(rs.getLong(1), rs.getInt(2)));

    List<String> problems = new ArrayList<>();
    long confirmed = 0, cancelled = 0, unresolved = 0, lost = 0, duplicated = 0;
    Set<String> orderNos = new HashSet<>();
    Set<String> orderTx = new HashSet<>();
    for (OrderRow o : orders) {
      orderNos.add(o.orderNo());
      orderTx.add(o.txNo());
      LedgerRow applied = ledger.get(o.orderNo());
      if (!committedTx.contains(o.txNo())) {
        lost++;
        note(problems, "order " + o.orderNo() + " has no COMMITTED tx_log row");
      }
      switch (o.status()) {
        case "CONFIRMED" -> {
          confirmed++;
          if (applied == null || !"DEDUCTED".equals(applied.outcome())) {
            lost++;
            note(problems, "order " + o.orderNo() + " CONFIRMED but its stock ledger says " + describe(applied));
          }
        }
        case "CANCELLED" -> {
          cancelled++;
          if (applied == null || !"REJECTED".equals(applied.outcome())) {
            duplicated += applied != null && "DEDUCTED".equals(applied.outcome()) ? 1 : 0;
            lost += applied == null ? 1 : 0;
            note(problems, "order " + o.orderNo() + " CANCELLED but its stock ledger says " + describe(applied));
          }
        }
        default -> {
          unresolved++;
          note(problems, "order " + o.orderNo() + " (" + o.txNo() + ") still " + o.status() + ", ledger: "
              + describe(applied));
        }
      }
    }
    for (String tx : committedTx) {
      if (!orderTx.contains(tx)) {
        lost++;
        note(problems, "tx_log " + tx + " COMMITTED without an order");
      }
    }
    long orphans = 0;
    Map<Long, Long> ledgerUnits = new HashMap<>();
    for (LedgerRow row : ledger.values()) {
      if (!orderNos.contains(row.orderNo())) {
        orphans++;
        note(problems, "stock ledger row for unknown order " + row.orderNo());
      }
      if ("DEDUCTED".equals(row.outcome())) {
        ledgerUnits.merge(row.productId(), (long) row.count(), Long::sum);
      } else if (!"REJECTED".equals(row.outcome())) {
        lost++;
        note(problems, "stock ledger row of " + row.orderNo() + " in state " + row.outcome());
      }
    }
    long negative = 0, unitsDeducted = 0;
    for (Map.Entry<Long, Integer> e : currentStock.entrySet()) {
      if (e.getValue() < 0) {
        negative++;
        note(problems, "product " + e.getKey() + " stock " + e.getValue());
      }
      Integer initial = initialStock.get(e.getKey());
      if (initial != null) {
        long delta = initial - e.getValue();
        unitsDeducted += delta;
        long recorded = ledgerUnits.getOrDefault(e.getKey(), 0L);
        if (delta != recorded) {
          duplicated += Math.max(0, delta - recorded);
          lost += Math.max(0, recorded - delta);
          note(problems, "product " + e.getKey() + ": stock moved by " + delta + ", ledger says " + recorded);
        }
      }
    }
    return new Report(orders.size(), confirmed, cancelled, unresolved, lost, duplicated, orphans, negative,
        unitsDeducted, List.copyOf(problems));
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

  private static void note(List<String> problems, String problem) {
    if (problems.size() < 20) {
      problems.add(problem);
    }
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
