package io.reliabletx.order.recovery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.reliabletx.order.orders.OrderPlacedMessage;
import io.reliabletx.order.transaction.AlreadyCommitted;
import io.reliabletx.sample.common.ReliableTxProperties;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.apache.rocketmq.client.producer.TransactionSendResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The safety net behind the transactional message: an order still PENDING long after it was committed has had its
 * message lost on the broker's side (the fault suite saw this when the broker was killed or frozen just as a COMMIT
 * arrived: neither delivery nor check-back followed; and a broker gives a half message up after
 * transactionCheckMax unanswered check-backs). Its {@code OrderPlaced} is published again; the stock service's
 * ledger makes any duplicate a no-op and answers with the recorded outcome.
 *
 * <p>Its state is on the order row ({@link PendingCopies}), so replicas share it: each copy is claimed by one replica,
 * at most one per {@code pendingResendAfter}, at most {@code pendingResendMaxAttempts} in all. A pass pages through
 * every due order by key. The copy is a transactional message that commits at once ({@link AlreadyCommitted}).
 */
@Component
public class PendingOrderResender implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(PendingOrderResender.class);
  /** Due orders read per query; a pass reads pages until none is left. */
  public static final int PAGE = 500;

  private final PendingCopies pending;
  private final TransactionMQProducer producer;
  private final ReliableTxProperties properties;
  private final Counter resent;
  private final Counter exhausted;
  /** Seconds since the oldest pending order was created, as of the last pass (0 when none is pending). */
  private volatile double oldestPendingSeconds;
  private ScheduledExecutorService scheduler;

  public PendingOrderResender(PendingCopies pending, TransactionMQProducer producer, ReliableTxProperties properties,
                              MeterRegistry meters) {
    this.pending = pending;
    this.producer = producer;
    this.properties = properties;
    this.resent = Counter.builder("reliabletx.orders.resent")
        .description("Messages of long-pending orders published again").register(meters);
    this.exhausted = Counter.builder("reliabletx.orders.resend.exhausted")
        .description("Orders given their last copy and still pending: an operator's attention is needed")
        .register(meters);
    Gauge.builder("reliabletx.orders.pending.oldest", this, r -> r.oldestPendingSeconds).baseUnit("seconds")
        .description("Age of the oldest order still waiting for the stock service's outcome").register(meters);
  }

  /** One pass: publishes a copy of each due order's message that this replica claims; returns how many it sent. */
  public int resendOverdue() {
    Double oldest = pending.oldestPendingAgeSeconds();
    oldestPendingSeconds = oldest == null ? 0 : oldest;
    long ageMicros = properties.pendingResendAfter().toNanos() / 1000;
    int maxAttempts = properties.pendingResendMaxAttempts();
    int sent = 0;
    long afterId = 0;
    List<PendingCopy> page;
    do {
      page = pending.findDue(ageMicros, maxAttempts, afterId, PAGE);
      for (PendingCopy order : page) {
        afterId = order.id();
        if (pending.claim(order.id(), order.resendAttempts()) == 0) {
          continue; // another replica claimed this copy, or the order settled meanwhile
        }
        if (!publish(order)) {
          pending.release(order.id(), order.resendAttempts() + 1);
          count(sent);
          return sent; // the broker is unreachable: the next pass tries again
        }
        sent++;
        if (order.resendAttempts() + 1 == maxAttempts) {
          exhausted.increment();
          LOG.error("order {} tx {} still pending after {} copies of its message: no more are sent; look for it in "
              + "the stock service's ledger and the broker", order.orderNo(), order.txNo(), maxAttempts);
        }
      }
    } while (page.size() == PAGE);
    count(sent);
    return sent;
  }

  private boolean publish(PendingCopy order) {
    try {
      TransactionSendResult result = producer.sendMessageInTransaction(
          OrderPlacedMessage.of(order.message(), properties.topic()), new AlreadyCommitted(order.txNo()));
      return result.getSendStatus() == SendStatus.SEND_OK
          && result.getLocalTransactionState() == LocalTransactionState.COMMIT_MESSAGE;
    } catch (Exception e) {
      LOG.warn("order {} still pending; publishing its message again failed, next pass retries: {}", order.orderNo(),
          e.toString());
      return false;
    }
  }

  private void count(int sent) {
    if (sent > 0) {
      resent.increment(sent);
      LOG.info("{} orders pending for over {} s: their messages were published again", sent,
          properties.pendingResendAfter().toSeconds());
    }
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
