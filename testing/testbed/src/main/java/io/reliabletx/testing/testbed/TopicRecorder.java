package io.reliabletx.testing.testbed;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.sysflag.MessageSysFlag;

/**
 * Records every message delivered on a topic to a consumer group of its own (a witness for tests). It reads from
 * the first stored message, so nothing sent while it joins is missed; tests tell their messages apart by key.
 */
public final class TopicRecorder implements AutoCloseable {

  /**
   * One delivery: the message key and its body as text.
   *
   * @param transactional whether it was sent as a transactional message and committed (its system flag says so)
   */
  public record Delivery(String key, String body, int reconsumeTimes, boolean transactional) {
  }

  private final DefaultMQPushConsumer consumer;
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

  public TopicRecorder(String nameServer, String topic) {
    consumer = new DefaultMQPushConsumer("recorder-" + UUID.randomUUID().toString().substring(0, 8));
    consumer.setNamesrvAddr(nameServer);
    consumer.setInstanceName("recorder-" + UUID.randomUUID());
    consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
    consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
      msgs.forEach(m -> deliveries.add(new Delivery(m.getKeys(), new String(m.getBody(), StandardCharsets.UTF_8),
          m.getReconsumeTimes(), MessageSysFlag.getTransactionValue(m.getSysFlag())
              == MessageSysFlag.TRANSACTION_COMMIT_TYPE)));
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    });
    try {
      consumer.subscribe(topic, "*");
      consumer.start();
    } catch (MQClientException e) {
      throw new IllegalStateException(e);
    }
  }

  public List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  public List<Delivery> withKey(String key) {
    return deliveries.stream().filter(d -> key.equals(d.key())).toList();
  }

  /** Waits until a delivery matches, or the time is up; returns whether one did. */
  public boolean await(Predicate<Delivery> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (deliveries.stream().anyMatch(match)) {
        return true;
      }
      Thread.sleep(50);
    }
    return deliveries.stream().anyMatch(match);
  }

  @Override
  public void close() {
    consumer.shutdown();
  }
}
