package io.reliabletx.sample.common.rocketmq;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.reliabletx.messages.MalformedMessageException;
import io.reliabletx.messages.MessageCodec;
import java.util.ArrayList;
import java.util.List;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyContext;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A push consumer of one payload type with the acknowledgement rules of the pattern: a message is acknowledged
 * only after its handler returned (so after the handler's database commit); a handler failure means redelivery;
 * a body that is not a valid payload goes straight to the group's dead-letter queue ({@code %DLQ%group}) and the
 * consumer keeps going. Started after the application context is ready, stopped before the database closes.
 * <p>
 * A batch handler gets up to {@code batchSize} messages at once, as many as have arrived (one when traffic is light),
 * so that it can apply them in one database transaction; a failure redelivers the whole batch, so it must absorb
 * redeliveries as a single handler does.
 */
public final class PayloadConsumer<T> implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(PayloadConsumer.class);

  @FunctionalInterface
  public interface Handler<T> {
    void handle(T payload, MessageExt message) throws Exception;
  }

  /** One decoded message of a batch. */
  public record Delivery<T>(T payload, MessageExt message) {
  }

  @FunctionalInterface
  public interface BatchHandler<T> {
    /** @param batch at least one delivery, in the order the broker delivered them */
    void handle(List<Delivery<T>> batch) throws Exception;
  }

  private final String group;
  private final String topic;
  private final Class<T> type;
  private final BatchHandler<T> handler;
  private final int batchSize;
  private final RocketMqProperties rocketMq;
  private final int threads;
  private final MeterRegistry meters;
  private final DistributionSummary batchSizes;
  private volatile DefaultMQPushConsumer consumer;

  public PayloadConsumer(String group, String topic, Class<T> type, Handler<T> handler, RocketMqProperties rocketMq,
                         int threads, MeterRegistry meters) {
    this(group, topic, type, batch -> {
      for (Delivery<T> d : batch) {
        handler.handle(d.payload(), d.message());
      }
    }, 1, rocketMq, threads, meters);
  }

  public PayloadConsumer(String group, String topic, Class<T> type, BatchHandler<T> handler, int batchSize,
                         RocketMqProperties rocketMq, int threads, MeterRegistry meters) {
    this.group = group;
    this.topic = topic;
    this.type = type;
    this.handler = handler;
    this.batchSize = batchSize;
    this.rocketMq = rocketMq;
    this.threads = threads;
    this.meters = meters;
    this.batchSizes = DistributionSummary.builder("reliabletx.messages.batch.size")
        .description("Messages handled together, in one local transaction where the handler batches")
        .tag("topic", topic).register(meters);
  }

  @Override
  public void start() {
    DefaultMQPushConsumer c = RocketMqClients.configure(
        new DefaultMQPushConsumer(group, RocketMqClients.rpcHook(rocketMq)), rocketMq, group);
    // A new group starts at the first message still stored: messages sent before it first started are not lost.
    c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
    c.setConsumeThreadMin(threads);
    c.setConsumeThreadMax(threads);
    c.setConsumeMessageBatchMaxSize(batchSize);
    c.registerMessageListener((MessageListenerConcurrently) this::consume);
    try {
      c.subscribe(topic, "*");
      c.start();
    } catch (MQClientException e) {
      throw new IllegalStateException("consumer group " + group + " could not start on topic " + topic, e);
    }
    consumer = c;
    LOG.info("consuming {} from topic {} as group {} with {} threads, up to {} messages at once", type.getSimpleName(),
        topic, group, threads, batchSize);
  }

  private ConsumeConcurrentlyStatus consume(List<MessageExt> messages, ConsumeConcurrentlyContext context) {
    List<Delivery<T>> batch = new ArrayList<>(messages.size());
    for (MessageExt message : messages) {
      try {
        batch.add(new Delivery<>(MessageCodec.decode(message.getBody(), type), message));
      } catch (MalformedMessageException e) {
        LOG.warn("message {} (keys {}) on {} is malformed, sent to the dead-letter queue %DLQ%{}: {}",
            message.getMsgId(), message.getKeys(), topic, group, e.getMessage());
        meters.counter("reliabletx.messages.dead.lettered", "topic", topic).increment();
        if (messages.size() == 1) {
          context.setDelayLevelWhenNextConsume(-1); // the client sends it back to the dead-letter queue
          return ConsumeConcurrentlyStatus.RECONSUME_LATER;
        }
        if (!sendToDeadLetterQueue(message)) {
          return ConsumeConcurrentlyStatus.RECONSUME_LATER; // the whole batch again; its handler absorbs repeats
        }
      }
    }
    if (batch.isEmpty()) {
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    }
    batchSizes.record(batch.size());
    try {
      handler.handle(batch);
    } catch (Exception e) {
      MessageExt first = batch.get(0).message();
      LOG.warn("{} on {} failed, redelivery {} will follow: {}", batch.size() == 1
              ? "message " + first.getMsgId() + " (keys " + first.getKeys() + ")"
              : "a batch of " + batch.size() + " messages from " + first.getMsgId() + " (keys " + first.getKeys() + ")",
          topic, first.getReconsumeTimes() + 1, e.toString());
      meters.counter("reliabletx.messages.retried", "topic", topic).increment(batch.size());
      return ConsumeConcurrentlyStatus.RECONSUME_LATER;
    }
    return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
  }

  /** One message of a batch to the dead-letter queue (delay level -1), the rest of the batch goes on. */
  private boolean sendToDeadLetterQueue(MessageExt message) {
    try {
      consumer.sendMessageBack(message, -1, message.getBrokerName());
      return true;
    } catch (Exception e) {
      LOG.warn("message {} could not be sent to the dead-letter queue, its batch is delivered again: {}",
          message.getMsgId(), e.toString());
      return false;
    }
  }

  @Override
  public void stop() {
    DefaultMQPushConsumer c = consumer;
    consumer = null;
    if (c != null) {
      c.shutdown();
    }
  }

  @Override
  public boolean isRunning() {
    return consumer != null;
  }
}
