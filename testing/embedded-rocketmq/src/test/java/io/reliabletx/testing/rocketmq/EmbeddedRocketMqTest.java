package io.reliabletx.testing.rocketmq;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.client.producer.TransactionListener;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;

/** The embedded broker delivers committed transactional messages, drops rolled-back ones, and resolves UNKNOWN by check-back. */
class EmbeddedRocketMqTest {

  @Test
  void deliversCommittedAndCheckedBackMessagesButNotRolledBackOnes() throws Exception {
    try (EmbeddedRocketMq mq = EmbeddedRocketMq.start()) {
      mq.createTransactionalTopic("tx-topic");
      List<String> received = new CopyOnWriteArrayList<>();
      DefaultMQPushConsumer consumer = new DefaultMQPushConsumer("test-consumer");
      consumer.setNamesrvAddr(mq.nameServerAddress());
      consumer.subscribe("tx-topic", "*");
      consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
        msgs.forEach(m -> received.add(new String(m.getBody(), UTF_8)));
        return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
      });
      consumer.start();

      TransactionMQProducer producer = new TransactionMQProducer("test-producer");
      producer.setNamesrvAddr(mq.nameServerAddress());
      producer.setTransactionListener(new TransactionListener() {
        @Override
        public LocalTransactionState executeLocalTransaction(Message msg, Object arg) {
          return (LocalTransactionState) arg;
        }

        @Override
        public LocalTransactionState checkLocalTransaction(MessageExt msg) {
          return LocalTransactionState.COMMIT_MESSAGE;
        }
      });
      producer.start();
      try {
        for (LocalTransactionState state : LocalTransactionState.values()) {
          var result = producer.sendMessageInTransaction(new Message("tx-topic", state.name().getBytes(UTF_8)), state);
          assertThat(result.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && !(received.contains("COMMIT_MESSAGE") && received.contains("UNKNOW"))) {
          Thread.sleep(100);
        }
        Thread.sleep(1500); // room for a wrongly delivered ROLLBACK_MESSAGE to show up
        assertThat(received).contains("COMMIT_MESSAGE", "UNKNOW").doesNotContain("ROLLBACK_MESSAGE");
      } finally {
        producer.shutdown();
        consumer.shutdown();
      }
    }
  }
}
