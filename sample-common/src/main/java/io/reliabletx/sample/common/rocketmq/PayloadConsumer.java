package io.reliabletx.sample.common.rocketmq;

import io.micrometer.core.instrument.MeterRegistry;
import io.reliabletx.messages.MalformedMessageException;
import io.reliabletx.messages.MessageCodec;
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
 */
public final class PayloadConsumer<T> implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(PayloadConsumer.class);

  @FunctionalInterface
  public interface Handler<T> {
    void handle(T payload, MessageExt message) throws Exception;
  }

  private final String group;
  private final String topic;
  private final Class<T> type;
  private final Handler<T> handler;
  private final RocketMqProperties rocketMq;
  private final int threads;
  private final MeterRegistry meters;
  private volatile DefaultMQPushConsumer consumer;

  public PayloadConsumer(String group, String topic, Class<T> type, Handler<T> handler, RocketMqProperties rocketMq,
                         int threads, MeterRegistry meters) {
    this.group = group;
    this.topic = topic;
    this.type = type;
    this.handler = handler;
    this.rocketMq = rocketMq;
    this.threads = threads;
    this.meters = meters;
  }

  @Override
  public void start() {
    DefaultMQPushConsumer c = RocketMqClients.configure(
        new DefaultMQPushConsumer(group, RocketMqClients.rpcHook(rocketMq)), rocketMq, group);
    // A new group starts at the first message still stored: messages sent before it first started are not lost.
    c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
    c.setConsumeThreadMin(threads);
    c.setConsumeThreadMax(threads);
    c.setConsumeMessageBatchMaxSize(1);
    c.registerMessageListener((MessageListenerConcurrently) this::consume);
    try {
      c.subscribe(topic, "*");
      c.start();
    } catch (MQClientException e) {
      throw new IllegalStateException("consumer group " + group + " could not start on topic " + topic, e);
    }
    consumer = c;
    LOG.info("consuming {} from topic {} as group {} with {} threads", type.getSimpleName(), topic, group, threads);
  }

  private ConsumeConcurrentlyStatus consume(List<MessageExt> messages, ConsumeConcurrentlyContext context) {
    for (MessageExt message : messages) {
      T payload;
      try {
        payload = MessageCodec.decode(message.getBody(), type);
      } catch (MalformedMessageException e) {
        LOG.warn("message {} (keys {}) on {} is malformed, sent to the dead-letter queue %DLQ%{}: {}",
            message.getMsgId(), message.getKeys(), topic, group, e.getMessage());
        meters.counter("reliabletx.messages.dead.lettered", "topic", topic).increment();
        context.setDelayLevelWhenNextConsume(-1);
        return ConsumeConcurrentlyStatus.RECONSUME_LATER;
      }
      try {
        handler.handle(payload, message);
      } catch (Exception e) {
        LOG.warn("message {} (keys {}) on {} failed, redelivery {} will follow: {}", message.getMsgId(),
            message.getKeys(), topic, message.getReconsumeTimes() + 1, e.toString());
        meters.counter("reliabletx.messages.retried", "topic", topic).increment();
        return ConsumeConcurrentlyStatus.RECONSUME_LATER;
      }
    }
    return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
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
