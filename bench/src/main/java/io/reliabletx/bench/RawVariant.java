package io.reliabletx.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.reliabletx.messages.MessageCodec;
import io.reliabletx.messages.OrderPlaced;
import io.reliabletx.testing.testbed.Testbed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;

/**
 * Baseline 1, no guarantees: insert the order (autocommit), then send a plain message; the consumer deducts with
 * the same conditional update but keeps no ledger. A crash between insert and send loses the deduction; a
 * redelivery doubles it.
 */
final class RawVariant extends BaselineVariant {
  static final String TOPIC = "bench-raw";

  private final HikariDataSource orders;
  private final HikariDataSource stock;
  private final DefaultMQProducer producer;
  private final DefaultMQPushConsumer consumer;

  RawVariant(Testbed bed, int consumerThreads, Timeline timeline) throws Exception {
    super(timeline);
    bed.mq().createTopic(TOPIC);
    orders = Jdbc.pool(bed.orderServiceProperties());
    stock = Jdbc.pool(bed.stockServiceProperties());
    producer = new DefaultMQProducer("bench-raw-producer");
    producer.setNamesrvAddr(bed.mq().nameServerAddress());
    producer.setInstanceName("bench-raw");
    producer.start();
    consumer = BenchConsumer.start(bed.mq().nameServerAddress(), "bench-raw-consumer", TOPIC, consumerThreads, o -> {
      try (Connection c = stock.getConnection(); PreparedStatement s = c.prepareStatement(
          "UPDATE stock SET total_count = total_count - ? WHERE product_id = ? AND total_count >= ?")) {
        s.setInt(1, o.count());
        s.setLong(2, o.productId());
        s.setInt(3, o.count());
        s.executeUpdate();
      }
      timeline.deducted(o.orderNo());
    });
  }

  @Override
  public String name() {
    return "raw (insert + plain send)";
  }

  @Override
  public void place(long productId, int count) throws Exception {
    OrderPlaced order = new OrderPlaced("TX-" + UUID.randomUUID(), "O-" + UUID.randomUUID(), productId, count);
    try (Connection c = orders.getConnection()) {
      insertOrder(c, order);
    }
    timeline.committed(order.orderNo());
    producer.send(new Message(TOPIC, "OrderPlaced", order.txNo(), MessageCodec.encode(order)));
  }

  @Override
  public void close() {
    consumer.shutdown();
    producer.shutdown();
    orders.close();
    stock.close();
  }
}
