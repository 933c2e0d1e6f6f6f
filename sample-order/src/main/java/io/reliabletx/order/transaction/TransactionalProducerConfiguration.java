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

  /** The transactional producer; every instance of the producer group may be asked the check-backs. */
  @Bean(initMethod = "start", destroyMethod = "shutdown")
  TransactionMQProducer transactionalProducer(ReliableTxProperties properties, RocketMqProperties rocketMq,
                                              OrderTransactionListener listener, MeterRegistry meters) {
    TransactionMQProducer producer = RocketMqClients.configure(
        new TransactionMQProducer(properties.producerGroup()), rocketMq, "sample-order-producer");
    producer.setTransactionListener(listener);
    producer.setExecutorService(new ThreadPoolExecutor(2, 4, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(2000),
        r -> new Thread(r, "order-check-back"), new CheckBackOverflow(meters, 10_000)));
    producer.setSendMsgTimeout(5000);
    return producer;
  }
}
