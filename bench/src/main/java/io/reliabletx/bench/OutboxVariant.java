package io.reliabletx.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.reliabletx.messages.MessageCodec;
import io.reliabletx.messages.OrderPlaced;
import io.reliabletx.testing.testbed.Testbed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;

/**
 * Baseline 2, what many teams pick instead: the order and an outbox row in one DB transaction; one poller thread
 * publishes outbox rows as plain messages (a batch send per poll of up to 200 rows, 5 ms pause when empty) and
 * deletes them; the consumer is idempotent with the same tx_log
 * ledger and statements as the stock service's (the outbox is at-least-once too). Same guarantees, different cost profile.
 */
final class OutboxVariant extends BaselineVariant {
  static final String TOPIC = "bench-outbox";

  private final HikariDataSource orders;
  private final HikariDataSource stock;
  private final DefaultMQProducer producer;
  private final DefaultMQPushConsumer consumer;
  private final Thread poller;
  private volatile boolean running = true;
  private volatile boolean idle;

  OutboxVariant(Testbed bed, int consumerThreads, Timeline timeline) throws Exception {
    super(timeline);
    bed.mq().createTopic(TOPIC);
    bed.db().execute(Testbed.ORDERS_DB, List.of("CREATE TABLE IF NOT EXISTS outbox (id BIGINT AUTO_INCREMENT "
        + "PRIMARY KEY, tx_no VARCHAR(64) NOT NULL, payload VARBINARY(1024) NOT NULL) ENGINE=InnoDB"));
    orders = Jdbc.pool(bed.orderServiceProperties());
    stock = Jdbc.pool(bed.stockServiceProperties());
    producer = new DefaultMQProducer("bench-outbox-producer");
    producer.setNamesrvAddr(bed.mq().nameServerAddress());
    producer.setInstanceName("bench-outbox");
    producer.start();
    consumer = BenchConsumer.start(bed.mq().nameServerAddress(), "bench-outbox-consumer", TOPIC, consumerThreads,
        o -> {
          if (applyOnce(o)) {
            timeline.deducted(o.orderNo());
          }
        });
    poller = new Thread(this::poll, "outbox-poller");
    poller.start();
  }

  /**
   * The stock service's ledger, statement for statement: the {@code tx_log} row with its outcome (a redelivery fails
   * on its primary key and rolls back), the conditional deduction, and only when stock is short a third statement.
   */
  private boolean applyOnce(OrderPlaced o) throws Exception {
    try (Connection c = stock.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement ledger = c.prepareStatement("INSERT INTO tx_log (tx_no, create_time, order_no, "
            + "product_id, pay_count, outcome, reason) VALUES (?, NOW(3), ?, ?, ?, 'DEDUCTED', NULL)")) {
          ledger.setString(1, o.txNo());
          ledger.setString(2, o.orderNo());
          ledger.setLong(3, o.productId());
          ledger.setInt(4, o.count());
          ledger.executeUpdate();
        }
        int rows;
        try (PreparedStatement deduct = c.prepareStatement(
            "UPDATE stock SET total_count = total_count - ? WHERE product_id = ? AND total_count >= ?")) {
          deduct.setInt(1, o.count());
          deduct.setLong(2, o.productId());
          deduct.setInt(3, o.count());
          rows = deduct.executeUpdate();
        }
        if (rows == 0) {
          try (PreparedStatement rejected = c.prepareStatement(
              "UPDATE tx_log SET outcome = 'REJECTED', reason = 'INSUFFICIENT_STOCK' WHERE tx_no = ?")) {
            rejected.setString(1, o.txNo());
            rejected.executeUpdate();
          }
        }
        c.commit();
        return rows == 1;
      } catch (SQLIntegrityConstraintViolationException redelivered) {
        c.rollback();
        return false;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  private void poll() {
    while (running) {
      if (idle) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
        continue;
      }
      try (Connection c = orders.getConnection()) {
        List<Long> ids = new ArrayList<>();
        List<Message> batch = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, tx_no, payload FROM outbox ORDER BY id LIMIT 200")) {
          while (rs.next()) {
            batch.add(new Message(TOPIC, "OrderPlaced", rs.getString(2), rs.getBytes(3)));
            ids.add(rs.getLong(1));
          }
        }
        if (ids.isEmpty()) {
          Thread.sleep(5);
          continue;
        }
        producer.send(batch); // one batch send per poll: the outbox pattern's natural advantage
        try (Statement s = c.createStatement()) {
          s.executeUpdate("DELETE FROM outbox WHERE id IN (" + String.join(",", ids.stream().map(String::valueOf).toList()) + ")");
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // database or broker hiccup: the rows stay in the outbox and are published on the next round
      }
    }
  }

  @Override
  public void idle(boolean idle) {
    this.idle = idle;
  }

  @Override
  public String name() {
    return "outbox (order + outbox row, poller)";
  }

  @Override
  public void place(long productId, int count) throws Exception {
    OrderPlaced order = new OrderPlaced("TX-" + UUID.randomUUID(), "O-" + UUID.randomUUID(), productId, count);
    try (Connection c = orders.getConnection()) {
      c.setAutoCommit(false);
      insertOrder(c, order);
      try (PreparedStatement o = c.prepareStatement("INSERT INTO outbox (tx_no, payload) VALUES (?, ?)")) {
        o.setString(1, order.txNo());
        o.setBytes(2, MessageCodec.encode(order));
        o.executeUpdate();
      }
      c.commit();
    }
    timeline.committed(order.orderNo());
  }

  @Override
  public void close() throws Exception {
    running = false;
    poller.join(5000);
    consumer.shutdown();
    producer.shutdown();
    orders.close();
    stock.close();
  }
}
