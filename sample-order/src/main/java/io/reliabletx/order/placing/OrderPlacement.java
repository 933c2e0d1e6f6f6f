package io.reliabletx.order.placing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.reliabletx.order.catalog.KnownProducts;
import io.reliabletx.order.orders.Order;
import io.reliabletx.order.orders.OrderMapper;
import io.reliabletx.order.orders.OrderPlacedMessage;
import io.reliabletx.order.transaction.LocalOrderTransaction;
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
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Places an order: sends the half message, whose local transaction (run by the producer in this thread, see
 * {@code OrderTransactionListener}) records the order; the broker delivers the message only once that commits.
 */
@Service
public class OrderPlacement {

  private static final Logger LOG = LoggerFactory.getLogger(OrderPlacement.class);

  /** What a placement request got: {@link #order} and how it stands. */
  public record Placed(Order order, Outcome outcome) {
  }

  public enum Outcome {
    /** This request recorded the order and its message is committed. */
    RECORDED,
    /** This request's local commit has an unknown outcome: the broker's check-back decides from {@code tx_log}. */
    OUTCOME_UNKNOWN,
    /** An earlier request with the same idempotency key recorded this order; nothing new was recorded. */
    REPLAYED
  }

  private static final String IDEMPOTENCY_KEY_INDEX = "uk_orders_idempotency_key";

  private final TransactionMQProducer producer;
  private final OrderMapper orders;
  private final KnownProducts catalog;
  private final ReliableTxProperties properties;
  private final Counter placed;

  public OrderPlacement(TransactionMQProducer producer, OrderMapper orders, KnownProducts catalog,
                        ReliableTxProperties properties, MeterRegistry meters) {
    this.producer = producer;
    this.orders = orders;
    this.catalog = catalog;
    this.properties = properties;
    this.placed = Counter.builder("reliabletx.orders.placed")
        .description("Orders whose local transaction committed").register(meters);
  }

  public Placed place(long productId, int count) {
    return place(null, productId, count);
  }

  /**
   * @param idempotencyKey the client's key, or null: a request whose key already has an order gets that order back
   */
  public Placed place(String idempotencyKey, long productId, int count) {
    if (!catalog.exists(productId)) {
      throw new NotFoundException("product " + productId + " does not exist");
    }
    if (idempotencyKey != null) {
      Order earlier = orders.findByIdempotencyKey(idempotencyKey);
      if (earlier != null) {
        return replay(earlier, idempotencyKey, productId, count);
      }
    }
    Order order = Order.newPending(productId, count, idempotencyKey);
    Message message = OrderPlacedMessage.of(order, properties.topic());
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
        yield new Placed(order, Outcome.RECORDED);
      }
      case UNKNOW -> new Placed(order, Outcome.OUTCOME_UNKNOWN);
      case ROLLBACK_MESSAGE -> {
        if (idempotencyKey != null && lostTheRaceForTheKey(attempt.failure())) {
          // A concurrent request with the same key committed first (InnoDB made this insert wait for it): its order
          // is the answer. This attempt's half message was rolled back with the local transaction.
          Order winner = orders.findByIdempotencyKey(idempotencyKey);
          if (winner == null) {
            throw new IdempotencyKey.InProgress(idempotencyKey);
          }
          yield replay(winner, idempotencyKey, productId, count);
        }
        if (LocalOrderTransaction.timedOut(attempt.failure())) {
          throw new OrderNotRecordedException("the order could not be recorded: its local transaction did not finish"
              + " within " + properties.localTransactionTimeout().toMillis() + " ms and rolled back", attempt.failure());
        }
        throw new OrderNotRecordedException(
            "the order could not be recorded: its local transaction rolled back", attempt.failure());
      }
    };
  }

  private static Placed replay(Order earlier, String key, long productId, int count) {
    if (!earlier.sameRequest(productId, count)) {
      throw new IdempotencyKey.Reused(key, earlier, productId, count);
    }
    return new Placed(earlier, Outcome.REPLAYED);
  }

  /** The insert failed on the idempotency key's unique index (MariaDB names the key, MySQL 8 table.key). */
  private static boolean lostTheRaceForTheKey(Exception failure) {
    return failure instanceof DuplicateKeyException
        && String.valueOf(failure.getMessage()).contains(IDEMPOTENCY_KEY_INDEX);
  }
}
