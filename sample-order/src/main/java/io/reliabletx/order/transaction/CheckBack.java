package io.reliabletx.order.transaction;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.reliabletx.sample.common.ReliableTxProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Step 4: answers the broker's question "did the local transaction of this half message commit?" from
 * {@code tx_log}. No row yet: UNKNOWN while the transaction may still be running; once it is older than
 * {@code reliabletx.check-back-rollback-after}, ROLLBACK, first recorded as a ROLLED_BACK row so that a local
 * transaction still in flight fails on the primary key instead of committing an order whose message is gone.
 *
 * <p>A recorded decision never changes, so it is remembered: a broker that crashed re-checks every half message
 * since its last offset flush, each again on every round until its answer lands, and these floods are answered
 * without the database (even while it is down). A database that cannot answer now (down, or a local transaction
 * holding the row longer than {@link TxLogMapper#DECISION_LOCK_WAIT_SECONDS}) gives UNKNOWN: the broker asks again,
 * and no check-back thread is held for the server's lock wait.
 */
@Component
public class CheckBack {

  private static final Logger LOG = LoggerFactory.getLogger(CheckBack.class);

  private final TxLogMapper txLog;
  private final Duration rollbackAfter;
  private final Clock clock;
  private final Cache<String, TxState> settled = Caffeine.newBuilder().maximumSize(100_000).build();

  @Autowired
  public CheckBack(TxLogMapper txLog, ReliableTxProperties properties) {
    this(txLog, properties.checkBackRollbackAfter(), Clock.systemUTC());
  }

  CheckBack(TxLogMapper txLog, Duration rollbackAfter, Clock clock) {
    this.txLog = txLog;
    this.rollbackAfter = rollbackAfter;
    this.clock = clock;
  }

  public LocalTransactionState decide(String txNo, Instant sentAt) {
    TxState state = settled.getIfPresent(txNo);
    if (state == null) {
      try {
        state = recordedOrDecided(txNo, sentAt);
      } catch (DataAccessException e) {
        LOG.warn("check-back tx {}: the database gave no answer ({}): UNKNOWN, the broker asks again", txNo,
            e.getMostSpecificCause().toString());
        return LocalTransactionState.UNKNOW;
      }
      if (state == null) {
        return LocalTransactionState.UNKNOW;
      }
      settled.put(txNo, state);
    }
    return state == TxState.COMMITTED ? LocalTransactionState.COMMIT_MESSAGE : LocalTransactionState.ROLLBACK_MESSAGE;
  }

  /** The recorded decision; else ROLLED_BACK recorded now if the transaction is past its deadline; else null. */
  private TxState recordedOrDecided(String txNo, Instant sentAt) {
    TxState state = txLog.findState(txNo);
    if (state != null || Duration.between(sentAt, clock.instant()).compareTo(rollbackAfter) < 0) {
      return state;
    }
    txLog.insertIfAbsent(txNo, TxState.ROLLED_BACK);
    return txLog.findState(txNo);
  }
}
