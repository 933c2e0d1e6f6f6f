package io.reliabletx.order.transaction;

import io.micrometer.core.instrument.MeterRegistry;
import io.reliabletx.sample.common.ReliableTxProperties;
import io.reliabletx.sample.common.rocketmq.RocketMqClients;
import io.reliabletx.sample.common.rocketmq.RocketMqProperties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TransactionalProducerConfiguration {

  static final int CHECK_BACK_THREADS = 8;
  static final int CHECK_BACK_QUEUE = 20_000;
  static final int HEARTBEAT_MILLIS = 5000;

  /** The transactional producer; every instance of the producer group may be asked the check-backs. */
  @Bean(initMethod = "start", destroyMethod = "shutdown")
  TransactionMQProducer transactionalProducer(ReliableTxProperties properties, RocketMqProperties rocketMq,
                                              OrderTransactionListener listener, MeterRegistry meters) {
    TransactionMQProducer producer = RocketMqClients.configure(
        new TransactionMQProducer(properties.producerGroup(), RocketMqClients.rpcHook(rocketMq)), rocketMq,
        "sample-order-producer");
    producer.setTransactionListener(listener);
    producer.setExecutorService(checkBackPool(meters));
    producer.setSendMsgTimeout(5000);
    // A restarted broker knows no producer until its next heartbeat (30 s by default): check-backs it sends meanwhile
    // reach nobody and still count toward transactionCheckMax.
    producer.setHeartbeatBrokerInterval(HEARTBEAT_MILLIS);
    return producer;
  }

  /**
   * Check-backs arrive in floods (a broker that restarts re-checks every half message since its last offset flush),
   * mostly answered from memory; the rest each take one of at most {@link #CHECK_BACK_THREADS} database connections
   * (of the pool's 20) for at most the decision lock wait. Core = max: a bounded queue only grows the pool once
   * full, so "2 core, 4 max" was 2 threads. Beyond the queue a check is dropped, counted, and asked again.
   */
  static ThreadPoolExecutor checkBackPool(MeterRegistry meters) {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(CHECK_BACK_THREADS, CHECK_BACK_THREADS, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(CHECK_BACK_QUEUE), r -> new Thread(r, "order-check-back"),
        new CheckBackOverflow(meters, 10_000));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
