package io.reliabletx.bench;

import io.reliabletx.testing.testbed.Testbed;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.TransactionListener;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;

/** The broker alone: plain sends against transactional sends (half message + no-op local transaction + commit). */
final class BrokerSendBench {
  private BrokerSendBench() {
  }

  interface Send {
    void send(Message m) throws Exception;
  }

  static double plainPerSecond(Testbed bed, int threads, int messages) throws Exception {
    bed.mq().createTopic("bench-send");
    DefaultMQProducer producer = new DefaultMQProducer("bench-send-plain");
    producer.setNamesrvAddr(bed.mq().nameServerAddress());
    producer.setInstanceName("bench-send-plain");
    producer.start();
    try {
      return rate(threads, messages, "bench-send", producer::send);
    } finally {
      producer.shutdown();
    }
  }

  static double transactionalPerSecond(Testbed bed, int threads, int messages) throws Exception {
    bed.mq().createTransactionalTopic("bench-send-tx");
    TransactionMQProducer producer = new TransactionMQProducer("bench-send-tx");
    producer.setNamesrvAddr(bed.mq().nameServerAddress());
    producer.setInstanceName("bench-send-tx");
    producer.setTransactionListener(new TransactionListener() {
      @Override
      public LocalTransactionState executeLocalTransaction(Message msg, Object arg) {
        return LocalTransactionState.COMMIT_MESSAGE;
      }

      @Override
      public LocalTransactionState checkLocalTransaction(MessageExt msg) {
        return LocalTransactionState.COMMIT_MESSAGE;
      }
    });
    producer.start();
    try {
      return rate(threads, messages, "bench-send-tx", m -> producer.sendMessageInTransaction(m, null));
    } finally {
      producer.shutdown();
    }
  }

  private static double rate(int threads, int messages, String topic, Send send) throws Exception {
    byte[] body = new byte[120];
    for (int i = 0; i < 200; i++) {
      send.send(new Message(topic, body)); // warm-up: routes, connections, JIT
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      pool.execute(() -> {
        for (int i = 0; i < messages / threads; i++) {
          try {
            send.send(new Message(topic, body));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
    return (messages / threads * threads) * 1e9 / (System.nanoTime() - start);
  }
}
