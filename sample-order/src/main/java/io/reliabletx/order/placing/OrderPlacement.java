package io.reliabletx.order.placing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.reliabletx.messages.MessageCodec;
import io.reliabletx.messages.OrderPlaced;
import io.reliabletx.order.catalog.KnownProducts;
import io.reliabletx.order.transaction.LocalTransactionAttempt;
import io.reliabletx.sample.common.ReliableTxProperties;
import io.reliabletx.sample.common.api.NotFoundException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.apache.rocketmq.client.producer.TransactionSendResult;
import org.apache.rocketmq.common.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Places an order: sends the half message, whose local transaction (run by the producer in this thread, see
 * {@code OrderTransactionListener}) records the order; the broker delivers the message only once that commits.
 */
@Service
public class OrderPlacement {

  private static final Logger LOG = LoggerFactory.getLogger(OrderPlacement.class);

  /** The order as recorded; {@code settled} is false while the broker's check-back decides its fate. */
  public record Placed(Order order, boolean settled) {
  }

  private final TransactionMQProducer producer;
  private final KnownProducts catalog;
  private final ReliableTxProperties properties;
  private final Counter placed;

  public OrderPlacement(TransactionMQProducer producer, KnownProducts catalog, ReliableTxProperties properties,
                        MeterRegistry meters) {
    this.producer = producer;
    this.catalog = catalog;
    this.properties = properties;
    this.placed = Counter.builder("reliabletx.orders.placed")
        .description("Orders whose local transaction committed").register(meters);
  }

  public Placed place(long productId, int count) {
    if (!catalog.exists(productId)) {
      throw new NotFoundException("product " + productId + " does not exist");
    }
    Order order = Order.newPending(productId, count);
    Message message = new Message(properties.topic(), "OrderPlaced", order.txNo(),
        MessageCodec.encode(new OrderPlaced(order.txNo(), order.orderNo(), productId, count)));
    LocalTransactionAttempt attempt = new LocalTransactionAttempt(order);
    TransactionSendResult result;
    try {
      result = producer.sendMessageInTransaction(message, attempt);
    } catch (MQClientException e) {
      LOG.warn("order {} not recorded: half message not sent: {}", order.orderNo(), e.getErrorMessage());
      throw new OrderNotRecordedException("the message broker did not take the order's message: "
          + e.getErrorMessage(), e);
    }
    if (result.getSendStatus() != SendStatus.SEND_OK && attempt.failure() == null) {
      throw new OrderNotRecordedException("the message broker refused the order's message: " + result.getSendStatus(), null);
    }
    return switch (result.getLocalTransactionState()) {
      case COMMIT_MESSAGE -> {
        placed.increment();
        yield new Placed(order, true);
      }
      case UNKNOW -> new Placed(order, false);
      case ROLLBACK_MESSAGE -> throw new OrderNotRecordedException(
          "the order could not be recorded: its local transaction rolled back", attempt.failure());
    };
  }
}
