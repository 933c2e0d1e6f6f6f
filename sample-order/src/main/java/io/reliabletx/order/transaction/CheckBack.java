package io.reliabletx.order.transaction;

import io.reliabletx.sample.common.ReliableTxProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Step 4: answers the broker's question "did the local transaction of this half message commit?" from
 * {@code tx_log}. No row yet: UNKNOWN while the transaction may still be running; once it is older than
 * {@code reliabletx.check-back-rollback-after}, ROLLBACK, first recorded as a ROLLED_BACK row so that a local
 * transaction still in flight fails on the primary key instead of committing an order whose message is gone.
 */
@Component
public class CheckBack {

  private final TxLogMapper txLog;
  private final Duration rollbackAfter;
  private final Clock clock;

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
    TxState state = txLog.findState(txNo);
    if (state == null) {
      if (Duration.between(sentAt, clock.instant()).compareTo(rollbackAfter) < 0) {
        return LocalTransactionState.UNKNOW;
      }
      txLog.insertIfAbsent(txNo, TxState.ROLLED_BACK);
      state = txLog.findState(txNo);
    }
    return state == TxState.COMMITTED ? LocalTransactionState.COMMIT_MESSAGE : LocalTransactionState.ROLLBACK_MESSAGE;
  }
}
