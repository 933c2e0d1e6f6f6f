package io.reliabletx.testing.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliabletx.testing.mariadb.EmbeddedMariaDb;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The orders schema is applied at every start: it must bring a database of an older release up to date. */
class OrdersSchemaUpgradeTest {

  @Test
  void aDatabaseOfTheFirstReleaseGetsTheNewColumnsAndKeysKeepingItsRows() throws Exception {
    try (EmbeddedMariaDb db = EmbeddedMariaDb.start()) {
      db.createDatabase("old-orders", "svc", "pw");
      // The orders table as released before idempotency keys, with one order in it.
      db.execute("old-orders", List.of("CREATE TABLE orders (id BIGINT NOT NULL AUTO_INCREMENT, "
              + "create_time DATETIME(3) NOT NULL, update_time DATETIME(3) NOT NULL, order_no VARCHAR(64) NOT NULL, "
              + "tx_no VARCHAR(64) NOT NULL, product_id BIGINT NOT NULL, pay_count INT NOT NULL, "
              + "status VARCHAR(16) NOT NULL, status_reason VARCHAR(255) NULL, PRIMARY KEY (id), "
              + "UNIQUE KEY uk_orders_order_no (order_no), UNIQUE KEY uk_orders_tx_no (tx_no)) ENGINE = InnoDB",
          "INSERT INTO orders (create_time, update_time, order_no, tx_no, product_id, pay_count, status) "
              + "VALUES (NOW(3), NOW(3), 'O-1', 'TX-1', 1, 2, 'CONFIRMED')"));

      db.runScript("old-orders", Testbed.schema("db/orders/schema.sql"));
      db.runScript("old-orders", Testbed.schema("db/orders/schema.sql")); // and again at the next start: no-op

      try (Connection c = db.rootConnection("old-orders"); Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery(
            "SELECT order_no, idempotency_key, resend_attempts, last_resent_at FROM orders")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("O-1");
          assertThat(rs.getString(2)).isNull();
          assertThat(rs.getInt(3)).as("no copy sent yet").isZero();
          assertThat(rs.getString(4)).isNull();
        }
        try (ResultSet rs = s.executeQuery("SELECT NON_UNIQUE FROM information_schema.statistics WHERE "
            + "table_schema = 'old-orders' AND index_name = 'uk_orders_idempotency_key'")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(1)).isZero();
        }
      }
    }
  }
}
