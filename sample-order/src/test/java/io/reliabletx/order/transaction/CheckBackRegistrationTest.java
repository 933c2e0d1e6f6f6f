package io.reliabletx.order.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliabletx.testing.testbed.SharedTestbed;
import io.reliabletx.testing.testbed.Testbed;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.TransactionListener;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** On the real broker: a restarted producer that sends nothing is still asked the check-backs of its group. */
class CheckBackRegistrationTest {

  static final Testbed BED = SharedTestbed.get();

  @Test
  void aRestartedProducerIsAskedTheCheckBacksOfHalfMessagesItsPredecessorLeft() throws Exception {
    String group = "registration-test-" + UUID.randomUUID();
    String txNo = "TX-" + UUID.randomUUID();
    // The instance that dies: its half message is stored, its local transaction never answers.
    TransactionMQProducer before = producer(group, "before", new Answer(new ConcurrentLinkedQueue<>()));
    before.sendMessageInTransaction(new Message(Testbed.TOPIC, "OrderPlaced", txNo,
        "{}".getBytes(StandardCharsets.UTF_8)), null);
    before.shutdown();

    Queue<String> asked = new ConcurrentLinkedQueue<>();
    TransactionMQProducer after = producer(group, "after", new Answer(asked));
    try {
      Awaitility.await().atMost(10, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
          .until(() -> CheckBackRegistration.registerNow(after, Testbed.TOPIC));
      // The broker checks every second here; unregistered, the new instance would hear nothing until its first send.
      Awaitility.await().atMost(15, TimeUnit.SECONDS).until(() -> asked.contains(txNo));
    } finally {
      after.shutdown();
    }
  }

  private static TransactionMQProducer producer(String group, String instance, TransactionListener listener)
      throws Exception {
    TransactionMQProducer producer = new TransactionMQProducer(group);
    producer.setNamesrvAddr(BED.mq().nameServerAddress());
    producer.setInstanceName(group + "-" + instance);
    producer.setTransactionListener(listener);
    producer.start();
    return producer;
  }

  /** Never knows at first; records what it is asked and rolls it back. */
  private record Answer(Queue<String> asked) implements TransactionListener {
    @Override
    public LocalTransactionState executeLocalTransaction(Message msg, Object arg) {
      return LocalTransactionState.UNKNOW;
    }

    @Override
    public LocalTransactionState checkLocalTransaction(MessageExt msg) {
      asked.add(msg.getKeys());
      return LocalTransactionState.ROLLBACK_MESSAGE;
    }
  }
}
