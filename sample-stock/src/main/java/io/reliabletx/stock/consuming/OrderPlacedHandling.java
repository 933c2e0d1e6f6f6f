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
import java.util.List;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Consumes committed order messages: applies them in the ledger (the messages that arrived together in one DB
 * transaction), then publishes their outcomes (one batch send), then acknowledges. A crash anywhere before the
 * acknowledgement means redelivery; the ledger absorbs it and the outcome is published again, so the order service
 * always hears (the compensation is never lost).
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
        batch -> {
          List<Deduction> deductions = ledger.applyAll(batch.stream().map(PayloadConsumer.Delivery::payload).toList());
          deductions.forEach(d -> count(d, meters));
          faults.reach(AFTER_COMMIT);
          publish(deductions.stream().map(Deduction::outcome).toList(), properties.resultTopic(), outcomeProducer);
        },
        properties.consumerBatchSize(), rocketMq, properties.consumerThreads(), meters);
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

  /** The outcomes of a batch in one send (one round trip, stored together). */
  private static void publish(List<StockOutcome> outcomes, String topic, DefaultMQProducer producer) throws Exception {
    List<Message> messages = outcomes.stream().map(outcome -> new Message(topic, outcome.outcome().name(),
        outcome.txNo(), MessageCodec.encode(outcome))).toList();
    SendResult result = messages.size() == 1 ? producer.send(messages.get(0)) : producer.send(messages);
    if (result.getSendStatus() != SendStatus.SEND_OK) {
      // Stored, but not yet flushed or replicated as the broker is configured to promise: deliver again.
      throw new IllegalStateException("outcome of " + outcomes.get(0).txNo()
          + (outcomes.size() == 1 ? "" : " and " + (outcomes.size() - 1) + " more") + " sent with status "
          + result.getSendStatus());
    }
  }
}
