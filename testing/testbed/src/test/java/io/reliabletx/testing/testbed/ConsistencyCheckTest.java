package io.reliabletx.testing.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliabletx.testing.mariadb.EmbeddedMariaDb;
import io.reliabletx.testing.testbed.ConsistencyCheck.ClientRequest;
import io.reliabletx.testing.testbed.ConsistencyCheck.Report;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The checker can fail: each test breaks one row or one client record of a consistent world and expects the check
 * that covers it to count exactly that and to name it. Remove a check and its test fails.
 */
class ConsistencyCheckTest {

  static final Map<Long, Integer> INITIAL = Map.of(1L, 10, 2L, 10);
  static EmbeddedMariaDb db;

  /** What the clients were told in the consistent world of {@link #consistentWorld()}. */
  List<ClientRequest> told;

  @BeforeAll
  static void start() {
    db = EmbeddedMariaDb.start();
    db.createDatabase(Testbed.ORDERS_DB, "orders_svc", "pw1");
    db.createDatabase(Testbed.STOCK_DB, "stock_svc", "pw2");
    db.runScript(Testbed.ORDERS_DB, Testbed.schema("db/orders/schema.sql"));
    db.runScript(Testbed.STOCK_DB, Testbed.schema("db/stock/schema.sql"));
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  /**
   * k1: 201, O1 confirmed (2 of product 1 deducted). k2: 202, O2 committed by check-back and cancelled (short stock).
   * k3: refused 503 at both attempts, nothing recorded. k4: 202, rolled back by check-back. k5: timed out, nothing.
   */
  @BeforeEach
  void consistentWorld() {
    db.execute(Testbed.ORDERS_DB, List.of("DELETE FROM orders", "DELETE FROM tx_log",
        order("O1", "TX1", 1, 2, "CONFIRMED", "k1"), committed("TX1"),
        order("O2", "TX2", 2, 3, "CANCELLED", "k2"), committed("TX2"),
        "INSERT INTO tx_log (tx_no, create_time, state) VALUES ('TX4', NOW(3), 'ROLLED_BACK')"));
    db.execute(Testbed.STOCK_DB, List.of("DELETE FROM stock", "DELETE FROM tx_log",
        "INSERT INTO stock (product_id, total_count) VALUES (1, 8), (2, 10)",
        ledger("TX1", "O1", 1, 2, "DEDUCTED"), ledger("TX2", "O2", 2, 3, "REJECTED")));
    told = new ArrayList<>(List.of(
        new ClientRequest("k1", 1, 2, 201, "O1", "TX1", 1, true),
        new ClientRequest("k2", 2, 3, 202, "O2", "TX2", 1, true),
        new ClientRequest("k3", 1, 1, 503, null, null, 2, true),
        new ClientRequest("k4", 1, 4, 202, "O4", "TX4", 1, true),
        new ClientRequest("k5", 2, 1, 0, null, null, 5, false)));
  }

  @Test
  void theConsistentWorldHolds() throws Exception {
    Report r = check();
    assertThat(r.holds()).as(r.problems().toString()).isTrue();
    assertThat(r.problems()).isEmpty();
    assertThat(r.orders()).isEqualTo(2);
    assertThat(r.confirmed()).isEqualTo(1);
    assertThat(r.cancelled()).isEqualTo(1);
    assertThat(r.unitsDeducted()).isEqualTo(2);
    assertThat(r.summaryLine(3, 4, 5, 6)).isEqualTo("orders=2 faults=3 lost=0 duplicated=0 negative=0 mismatched=0"
        + " unresolved=0 retried=4 checkbacks=5 resent=6");
  }

  @Test
  void anOrderAnswered201ThatDoesNotExistIsLost() throws Exception {
    told.add(new ClientRequest("k6", 1, 1, 201, "O6", "TX6", 1, true));
    expectOnly(Report::lost, "O6");
  }

  @Test
  void anOrderAnsweredUnderAnotherNumberIsLost() throws Exception {
    told.set(0, new ClientRequest("k1", 1, 2, 200, "O-other", "TX1", 2, true));
    expectOnly(Report::lost, "O-other");
  }

  @Test
  void aConfirmedOrderWithoutItsDeductionIsLost() throws Exception {
    db.execute(Testbed.STOCK_DB, List.of("DELETE FROM tx_log WHERE tx_no = 'TX1'"));
    expectOnly(Report::lost, "O1 CONFIRMED");
  }

  @Test
  void aCancelledOrderNeverAppliedIsLost() throws Exception {
    db.execute(Testbed.STOCK_DB, List.of("DELETE FROM tx_log WHERE tx_no = 'TX2'"));
    expectOnly(Report::lost, "O2 CANCELLED");
  }

  @Test
  void anOrderWithoutItsCommittedTxLogIsLost() throws Exception {
    db.execute(Testbed.ORDERS_DB, List.of("DELETE FROM tx_log WHERE tx_no = 'TX2'"));
    expectOnly(Report::lost, "O2 has no COMMITTED");
  }

  @Test
  void aCommittedTxLogWithoutItsOrderIsLost() throws Exception {
    db.execute(Testbed.ORDERS_DB, List.of(committed("TX9")));
    expectOnly(Report::lost, "TX9");
  }

  @Test
  void stockThatMovedLessThanTheConfirmedOrdersSayIsLost() throws Exception {
    db.execute(Testbed.STOCK_DB, List.of("UPDATE stock SET total_count = 9 WHERE product_id = 1"));
    expectOnly(Report::lost, "product 1");
  }

  @Test
  void stockThatMovedMoreThanTheConfirmedOrdersSayIsDuplicated() throws Exception {
    db.execute(Testbed.STOCK_DB, List.of("UPDATE stock SET total_count = 6 WHERE product_id = 1"));
    expectOnly(Report::duplicated, "product 1");
  }

  @Test
  void twoOrdersForOneKeyAreDuplicated() throws Exception {
    db.execute(Testbed.ORDERS_DB, List.of("ALTER TABLE orders DROP INDEX uk_orders_idempotency_key",
        order("O1b", "TX1b", 2, 3, "CANCELLED", "k1"), committed("TX1b")));
    db.execute(Testbed.STOCK_DB, List.of(ledger("TX1b", "O1b", 2, 3, "REJECTED")));
    try {
      expectOnly(Report::duplicated, "key k1 has 2 orders");
    } finally {
      db.execute(Testbed.ORDERS_DB, List.of("DELETE FROM orders WHERE order_no = 'O1b'",
          "ALTER TABLE orders ADD UNIQUE KEY uk_orders_idempotency_key (idempotency_key)"));
    }
  }

  @Test
  void anOrderLeftByARefusedRequestIsDuplicated() throws Exception {
    db.execute(Testbed.ORDERS_DB, List.of(order("O3", "TX3", 1, 1, "CANCELLED", "k3"), committed("TX3")));
    db.execute(Testbed.STOCK_DB, List.of(ledger("TX3", "O3", 1, 1, "REJECTED")));
    expectOnly(Report::duplicated, "key k3 was refused");
  }

  @Test
  void anOrderNoClientAskedForIsDuplicated() throws Exception {
    told.remove(1); // drop the record of k2
    expectOnly(Report::duplicated, "O2");
  }

  @Test
  void aDeductionForARolledBack202IsDuplicated() throws Exception {
    db.execute(Testbed.STOCK_DB, List.of(ledger("TX4", "O4", 1, 4, "DEDUCTED")));
    Report r = check();
    assertThat(r.duplicated()).as(r.problems().toString()).isEqualTo(2); // applied for a 202 rolled back, for no order
    assertThat(r.problems()).anyMatch(p -> p.contains("k4") && p.contains("202"));
  }

  @Test
  void aDeductionForACancelledOrderIsDuplicated() throws Exception {
    db.execute(Testbed.STOCK_DB, List.of("UPDATE tx_log SET outcome = 'DEDUCTED' WHERE tx_no = 'TX2'",
        "UPDATE stock SET total_count = 7 WHERE product_id = 2"));
    Report r = check();
    assertThat(r.duplicated()).as(r.problems().toString()).isEqualTo(2); // the ledger row, and the stock it moved
    assertThat(r.problems()).anyMatch(p -> p.contains("O2 CANCELLED"));
  }

  @Test
  void aDeductionWithoutAnyOrderIsDuplicated() throws Exception {
    db.execute(Testbed.STOCK_DB, List.of(ledger("TX8", "O8", 2, 1, "DEDUCTED")));
    expectOnly(Report::duplicated, "TX8");
  }

  @Test
  void aDeductionOfAnotherProductIsMismatched() throws Exception {
    db.execute(Testbed.STOCK_DB, List.of("UPDATE tx_log SET product_id = 2 WHERE tx_no = 'TX1'"));
    expectOnly(Report::mismatched, "O1");
  }

  @Test
  void aDeductionOfAnotherAmountIsMismatched() throws Exception {
    db.execute(Testbed.STOCK_DB, List.of("UPDATE tx_log SET pay_count = 3 WHERE tx_no = 'TX1'"));
    expectOnly(Report::mismatched, "O1");
  }

  @Test
  void aDeductionRecordedForAnotherOrderIsMismatched() throws Exception {
    db.execute(Testbed.STOCK_DB, List.of("UPDATE tx_log SET order_no = 'O2' WHERE tx_no = 'TX1'"));
    expectOnly(Report::mismatched, "O1");
  }

  @Test
  void anOrderOfOtherGoodsThanAskedIsMismatched() throws Exception {
    told.set(0, new ClientRequest("k1", 1, 5, 201, "O1", "TX1", 1, true));
    expectOnly(Report::mismatched, "key k1");
  }

  @Test
  void stockBelowZeroIsNegative() throws Exception {
    db.execute(Testbed.STOCK_DB, List.of("ALTER TABLE stock DROP CONSTRAINT ck_stock_total_count_non_negative",
        "INSERT INTO stock (product_id, total_count) VALUES (3, -1)"));
    try {
      expectOnly(Report::negative, "product 3");
    } finally {
      db.execute(Testbed.STOCK_DB, List.of("DELETE FROM stock WHERE product_id = 3", "ALTER TABLE stock ADD "
          + "CONSTRAINT ck_stock_total_count_non_negative CHECK (total_count >= 0)"));
    }
  }

  @Test
  void aPendingOrderIsUnresolved() throws Exception {
    db.execute(Testbed.ORDERS_DB, List.of("UPDATE orders SET status = 'PENDING' WHERE order_no = 'O2'"));
    expectOnly(Report::unresolved, "O2");
  }

  /** The one counter is 1, every other violation counter 0, and a problem names the culprit. */
  private void expectOnly(ToLongFunction<Report> counter, String named) throws Exception {
    Report r = check();
    List<ToLongFunction<Report>> all = List.of(Report::lost, Report::duplicated, Report::mismatched,
        Report::negative, Report::unresolved);
    assertThat(counter.applyAsLong(r)).as(r.problems().toString()).isEqualTo(1);
    assertThat(all.stream().mapToLong(c -> c.applyAsLong(r)).sum()).as(r.problems().toString()).isEqualTo(1);
    assertThat(r.holds()).isFalse();
    assertThat(r.problems()).anyMatch(p -> p.contains(named));
  }

  private Report check() throws Exception {
    try (Connection orders = db.rootConnection(Testbed.ORDERS_DB);
         Connection stock = db.rootConnection(Testbed.STOCK_DB)) {
      return ConsistencyCheck.check(orders, stock, INITIAL, told);
    }
  }

  private static String order(String orderNo, String txNo, long product, int count, String status, String key) {
    return "INSERT INTO orders (create_time, update_time, order_no, tx_no, product_id, pay_count, status, "
        + "idempotency_key) VALUES (NOW(3), NOW(3), '" + orderNo + "', '" + txNo + "', " + product + ", " + count
        + ", '" + status + "', '" + key + "')";
  }

  private static String committed(String txNo) {
    return "INSERT INTO tx_log (tx_no, create_time, state) VALUES ('" + txNo + "', NOW(3), 'COMMITTED')";
  }

  private static String ledger(String txNo, String orderNo, long product, int count, String outcome) {
    return "INSERT INTO tx_log (tx_no, create_time, order_no, product_id, pay_count, outcome) VALUES ('" + txNo
        + "', NOW(3), '" + orderNo + "', " + product + ", " + count + ", '" + outcome + "')";
  }
}
