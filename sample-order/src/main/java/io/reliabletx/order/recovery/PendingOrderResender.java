package io.reliabletx.order.recovery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.reliabletx.order.orders.Order;
import io.reliabletx.order.orders.OrderMapper;
import io.reliabletx.order.orders.OrderPlacedMessage;
import io.reliabletx.sample.common.ReliableTxProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The safety net behind the transactional message: an order still PENDING long after it was committed has had its
 * message lost on the broker's side (the fault suite saw this when the broker was killed or frozen just as a COMMIT
 * arrived: neither delivery nor check-back followed; and a broker gives a half message up after
 * transactionCheckMax unanswered check-backs). Its {@code OrderPlaced} is published again as a plain message;
 * the stock service's ledger makes any duplicate a no-op and answers with the recorded outcome.
 */
@Component
public class PendingOrderResender implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(PendingOrderResender.class);
  private static final int BATCH = 500;

  private final OrderMapper orders;
  private final TransactionMQProducer producer;
  private final ReliableTxProperties properties;
  private final Counter resent;
  private ScheduledExecutorService scheduler;
  /** When this instance last re-published each overdue order: at most once per pendingResendAfter, not every pass. */
  private final Map<String, Long> lastResentMillis = new ConcurrentHashMap<>();

  public PendingOrderResender(OrderMapper orders, TransactionMQProducer producer, ReliableTxProperties properties,
                              MeterRegistry meters) {
    this.orders = orders;
    this.producer = producer;
    this.properties = properties;
    this.resent = Counter.builder("reliabletx.orders.resent")
        .description("Messages of long-pending orders published again").register(meters);
  }

  /** One pass: re-publishes the messages of orders pending since before {@code now - pendingResendAfter}. */
  public int resendOverdue() {
    List<Order> overdue = orders.findPendingOlderThan(properties.pendingResendAfter().toNanos() / 1000, BATCH);
    Set<String> stillOverdue = overdue.stream().map(Order::orderNo).collect(Collectors.toSet());
    lastResentMillis.keySet().retainAll(stillOverdue);
    long now = System.currentTimeMillis();
    long quietMillis = properties.pendingResendAfter().toMillis();
    int sent = 0;
    for (Order o : overdue) {
      Long last = lastResentMillis.get(o.orderNo());
      if (last != null && now - last < quietMillis) {
        continue; // re-published recently: its copy is probably queued behind a backlog, not lost
      }
      try {
        producer.send(OrderPlacedMessage.of(o, properties.topic()));
        lastResentMillis.put(o.orderNo(), now);
        sent++;
      } catch (Exception e) {
        LOG.warn("order {} still pending; re-publishing its message failed, next pass retries: {}", o.orderNo(),
            e.toString());
        break; // the broker is unreachable: no point trying the rest now
      }
    }
    if (sent > 0) {
      resent.increment(sent);
      LOG.info("{} orders pending for over {} s: their messages were published again", sent,
          properties.pendingResendAfter().toSeconds());
    }
    return sent;
  }

  @Override
  public void start() {
    Duration every = properties.pendingResendInterval();
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "pending-order-resender"));
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        resendOverdue();
      } catch (RuntimeException e) {
        LOG.warn("pending-order pass failed (database unreachable?): {}", e.toString());
      }
    }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  @Override
  public boolean isRunning() {
    return scheduler != null;
  }
}
