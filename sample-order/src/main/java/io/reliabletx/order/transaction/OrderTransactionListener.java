package io.reliabletx.order.transaction;

import io.micrometer.core.instrument.MeterRegistry;
import io.reliabletx.sample.common.faults.FaultPoints;
import java.time.Instant;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.TransactionListener;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/** The producer's two callbacks: run the local transaction (step 2-3) and answer check-backs (step 4). */
@Component
public class OrderTransactionListener implements TransactionListener {

  private static final Logger LOG = LoggerFactory.getLogger(OrderTransactionListener.class);
  public static final String AFTER_COMMIT = "order.local-tx.after-commit";

  private final LocalOrderTransaction local;
  private final CheckBack checkBack;
  private final FaultPoints faults;
  private final MeterRegistry meters;

  public OrderTransactionListener(LocalOrderTransaction local, CheckBack checkBack, FaultPoints faults,
                                  MeterRegistry meters) {
    this.local = local;
    this.checkBack = checkBack;
    this.faults = faults;
    this.meters = meters;
  }

  @Override
  public LocalTransactionState executeLocalTransaction(Message msg, Object arg) {
    if (arg instanceof AlreadyCommitted) {
      return LocalTransactionState.COMMIT_MESSAGE;
    }
    LocalTransactionAttempt attempt = (LocalTransactionAttempt) arg;
    LocalTransactionState state;
    try {
      local.record(attempt.order());
      state = LocalTransactionState.COMMIT_MESSAGE;
    } catch (CommitOutcomeUnknownException e) {
      attempt.failed(e);
      LOG.warn("order {} tx {}: commit outcome unknown, the broker's check-back will decide: {}",
          attempt.order().orderNo(), attempt.order().txNo(), e.getMessage());
      state = LocalTransactionState.UNKNOW;
    } catch (RuntimeException e) {
      attempt.failed(e);
      // A duplicate key is a lost idempotency race or a check-back's tombstone: the driver's message says which.
      Throwable reason = e instanceof DuplicateKeyException d ? d.getMostSpecificCause() : e;
      LOG.warn("order {} tx {}: local transaction rolled back: {}", attempt.order().orderNo(),
          attempt.order().txNo(), reason.toString());
      state = LocalTransactionState.ROLLBACK_MESSAGE;
    }
    meters.counter("reliabletx.local.transactions", "outcome", outcome(state)).increment();
    if (state == LocalTransactionState.COMMIT_MESSAGE) {
      // A crash or failure here loses the COMMIT on its way to the broker: the check-back finds tx_log and commits.
      faults.reach(AFTER_COMMIT);
    }
    return state;
  }

  @Override
  public LocalTransactionState checkLocalTransaction(MessageExt msg) {
    String txNo = msg.getKeys();
    LocalTransactionState state;
    if (txNo == null || txNo.isBlank()) {
      LOG.warn("check-back for message {} without a transaction number: not ours, ROLLBACK", msg.getMsgId());
      state = LocalTransactionState.ROLLBACK_MESSAGE;
    } else {
      state = checkBack.decide(txNo, Instant.ofEpochMilli(msg.getBornTimestamp()));
      LOG.info("check-back tx {}: {}", txNo, state);
    }
    meters.counter("reliabletx.checkbacks", "outcome", outcome(state)).increment();
    return state;
  }

  private static String outcome(LocalTransactionState state) {
    return switch (state) {
      case COMMIT_MESSAGE -> "commit";
      case ROLLBACK_MESSAGE -> "rollback";
      case UNKNOW -> "unknown";
    };
  }
}
