package io.reliabletx.bench;

import io.reliabletx.messages.MessageCodec;
import io.reliabletx.messages.OrderPlaced;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;

/** The baselines' consumer: same threads and settings as the services', a handler per OrderPlaced. */
final class BenchConsumer {
  private BenchConsumer() {
  }

  interface Handler {
    void handle(OrderPlaced order) throws Exception;
  }

  static DefaultMQPushConsumer start(String nameServer, String group, String topic, int threads, Handler handler)
      throws MQClientException {
    DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(group);
    consumer.setNamesrvAddr(nameServer);
    consumer.setInstanceName(group);
    consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
    consumer.setConsumeThreadMin(threads);
    consumer.setConsumeThreadMax(threads);
    consumer.subscribe(topic, "*");
    consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
      for (MessageExt m : msgs) {
        try {
          handler.handle(MessageCodec.decode(m.getBody(), OrderPlaced.class));
        } catch (Exception e) {
          return ConsumeConcurrentlyStatus.RECONSUME_LATER;
        }
      }
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    });
    consumer.start();
    return consumer;
  }
}
