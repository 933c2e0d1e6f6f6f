package io.reliabletx.bench;

import io.reliabletx.messages.OrderPlaced;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/** What the two baselines share: the order row they write and the timeline they are measured by. */
abstract class BaselineVariant implements Variant {

  protected final Timeline timeline = new Timeline();

  /** The same order row as the order service writes (without its tx_log row). */
  static void insertOrder(Connection c, OrderPlaced order) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO orders (create_time, update_time, order_no, tx_no, product_id, pay_count, status) "
            + "VALUES (?, ?, ?, ?, ?, ?, 'PENDING')")) {
      Timestamp now = new Timestamp(System.currentTimeMillis());
      s.setTimestamp(1, now);
      s.setTimestamp(2, now);
      s.setString(3, order.orderNo());
      s.setString(4, order.txNo());
      s.setLong(5, order.productId());
      s.setInt(6, order.count());
      s.executeUpdate();
    }
  }

  @Override
  public void resetStats() {
    timeline.reset();
  }

  @Override
  public long deducted() {
    return timeline.deductedCount();
  }

  @Override
  public List<Double> latenciesMillis() {
    return timeline.latenciesMillis();
  }
}
