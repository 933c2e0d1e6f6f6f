package io.reliabletx.bench;

import io.reliabletx.messages.OrderPlaced;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** What the two baselines share: the order row they write, as the order service writes it. */
abstract class BaselineVariant implements Variant {

  protected final Timeline timeline;

  BaselineVariant(Timeline timeline) {
    this.timeline = timeline;
  }

  /** The same order row as the order service writes (without its tx_log row), with the same statement. */
  static void insertOrder(Connection c, OrderPlaced order) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO orders (create_time, update_time, order_no, tx_no, product_id, pay_count, status) "
            + "VALUES (NOW(3), NOW(3), ?, ?, ?, ?, 'PENDING')")) {
      s.setString(1, order.orderNo());
      s.setString(2, order.txNo());
      s.setLong(3, order.productId());
      s.setInt(4, order.count());
      s.executeUpdate();
    }
  }
}
