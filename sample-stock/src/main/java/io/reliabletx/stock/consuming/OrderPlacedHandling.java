package io.reliabletx.stock.consuming;

import io.micrometer.core.instrument.MeterRegistry;
import io.reliabletx.messages.MessageCodec;
import io.reliabletx.messages.OrderPlaced;
import io.reliabletx.messages.StockOutcome;
import io.reliabletx.sample.common.ReliableTxProperties;
import io.reliabletx.sample.common.faults.FaultPoints;
import io.reliabletx.sample.common.rocketmq.PayloadConsumer;
import io.reliabletx.sample.common.rocketmq.RocketMqClients;
import io.reliabletx.sample.common.rocketmq.RocketMqProperties;
import io.reliabletx.stock.ledger.Deduction;
import io.reliabletx.stock.ledger.StockLedger;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Consumes committed order messages: applies each in the ledger (its own DB transaction), then publishes the
 * outcome, then acknowledges. A crash anywhere before the acknowledgement means redelivery; the ledger absorbs it
 * and the outcome is published again, so the order service always hears (the compensation is never lost).
 */
@Configuration(proxyBeanMethods = false)
public class OrderPlacedHandling {

  private static final Logger LOG = LoggerFactory.getLogger(OrderPlacedHandling.class);
  /** Fault point: deducted and committed, not yet published or acknowledged (the fault suite arms it). */
  public static final String AFTER_COMMIT = "stock.deduction.after-commit";

  @Bean(initMethod = "start", destroyMethod = "shutdown")
  DefaultMQProducer outcomeProducer(ReliableTxProperties properties, RocketMqProperties rocketMq) {
    DefaultMQProducer producer = RocketMqClients.configure(new DefaultMQProducer(properties.resultProducerGroup(),
        RocketMqClients.rpcHook(rocketMq)),
        rocketMq, "sample-stock-producer");
    producer.setSendMsgTimeout(5000);
    producer.setRetryTimesWhenSendFailed(2);
    return producer;
  }

  @Bean
  PayloadConsumer<OrderPlaced> orderPlacedConsumer(ReliableTxProperties properties, RocketMqProperties rocketMq,
                                                   StockLedger ledger, DefaultMQProducer outcomeProducer,
                                                   FaultPoints faults, MeterRegistry meters) {
    return new PayloadConsumer<>(properties.consumerGroup(), properties.topic(), OrderPlaced.class,
        (order, message) -> {
          Deduction deduction = ledger.apply(order);
          count(deduction, meters);
          faults.reach(AFTER_COMMIT);
          publish(deduction.outcome(), properties.resultTopic(), outcomeProducer);
        },
        rocketMq, properties.consumerThreads(), meters);
  }

  private static void count(Deduction deduction, MeterRegistry meters) {
    StockOutcome outcome = deduction.outcome();
    if (deduction.duplicate()) {
      meters.counter("reliabletx.duplicates.skipped").increment();
      LOG.info("tx {} already applied ({}): redelivery absorbed", outcome.txNo(), outcome.outcome());
    } else if (outcome.outcome() == StockOutcome.Outcome.DEDUCTED) {
      meters.counter("reliabletx.deductions").increment();
    } else {
      meters.counter("reliabletx.compensations", "reason", outcome.reason()).increment();
      LOG.info("order {} rejected ({}): compensation sent", outcome.orderNo(), outcome.reason());
    }
  }

  private static void publish(StockOutcome outcome, String topic, DefaultMQProducer producer) throws Exception {
    SendResult result = producer.send(new Message(topic, outcome.outcome().name(), outcome.txNo(),
        MessageCodec.encode(outcome)));
    if (result.getSendStatus() != SendStatus.SEND_OK) {
      // Stored, but not yet flushed or replicated as the broker is configured to promise: deliver again.
      throw new IllegalStateException("outcome of " + outcome.txNo() + " sent with status " + result.getSendStatus());
    }
  }
}
