package io.reliabletx.order.outcome;

import io.micrometer.core.instrument.MeterRegistry;
import io.reliabletx.messages.StockOutcome;
import io.reliabletx.order.orders.OrderMapper;
import io.reliabletx.order.orders.OrderStatus;
import io.reliabletx.sample.common.ReliableTxProperties;
import io.reliabletx.sample.common.rocketmq.PayloadConsumer;
import io.reliabletx.sample.common.rocketmq.RocketMqProperties;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Applies the stock service's answer to each order: DEDUCTED confirms it, REJECTED (the compensation) cancels it.
 * Idempotent: only a PENDING order changes, so redelivered outcomes are no-ops. The confirmations that arrived
 * together are one UPDATE (one commit).
 */
@Configuration(proxyBeanMethods = false)
class StockOutcomeHandling {

  private static final Logger LOG = LoggerFactory.getLogger(StockOutcomeHandling.class);

  @Bean
  PayloadConsumer<StockOutcome> stockOutcomeConsumer(ReliableTxProperties properties, RocketMqProperties rocketMq,
                                                     OrderMapper orders, MeterRegistry meters) {
    return new PayloadConsumer<>(properties.resultConsumerGroup(), properties.resultTopic(), StockOutcome.class,
        batch -> applyAll(batch.stream().map(PayloadConsumer.Delivery::payload).toList(), orders, meters),
        properties.consumerBatchSize(), rocketMq, properties.consumerThreads(), meters);
  }

  static void applyAll(List<StockOutcome> outcomes, OrderMapper orders, MeterRegistry meters) {
    List<String> deducted = outcomes.stream().filter(o -> o.outcome() == StockOutcome.Outcome.DEDUCTED)
        .map(StockOutcome::orderNo).toList();
    if (deducted.size() < 2) {
      outcomes.forEach(o -> apply(o, orders, meters));
      return;
    }
    int changed = orders.confirmAll(deducted);
    meters.counter("reliabletx.orders.resolved", "status", "confirmed").increment(changed);
    if (changed < deducted.size()) {
      Set<String> known = new HashSet<>(orders.findExisting(deducted));
      deducted.stream().filter(orderNo -> !known.contains(orderNo)).distinct()
          .forEach(orderNo -> LOG.warn("outcome DEDUCTED for unknown order {} ignored", orderNo));
      meters.counter("reliabletx.outcomes.duplicate")
          .increment(deducted.stream().filter(known::contains).count() - changed);
    }
    outcomes.stream().filter(o -> o.outcome() != StockOutcome.Outcome.DEDUCTED).forEach(o -> apply(o, orders, meters));
  }

  static void apply(StockOutcome outcome, OrderMapper orders, MeterRegistry meters) {
    OrderStatus status = outcome.outcome() == StockOutcome.Outcome.DEDUCTED ? OrderStatus.CONFIRMED : OrderStatus.CANCELLED;
    if (orders.resolve(outcome.orderNo(), status, outcome.reason()) == 1) {
      meters.counter("reliabletx.orders.resolved", "status", status.name().toLowerCase()).increment();
      if (status == OrderStatus.CANCELLED) {
        LOG.info("order {} cancelled by compensation: {}", outcome.orderNo(), outcome.reason());
      }
    } else if (orders.findByOrderNo(outcome.orderNo()) == null) {
      LOG.warn("outcome {} for unknown order {} ignored", outcome.outcome(), outcome.orderNo());
    } else {
      meters.counter("reliabletx.outcomes.duplicate").increment();
    }
  }
}
