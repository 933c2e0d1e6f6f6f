package io.reliabletx.order.transaction;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** {@code tx_log} of tx-msg-orders: one decision per transaction number, the primary key deciding races. */
@Mapper
public interface TxLogMapper {

  /** How long a check-back waits for a local transaction's row lock before answering UNKNOWN instead. */
  int DECISION_LOCK_WAIT_SECONDS = 2;

  /** Fails on the primary key when a check-back already decided ROLLED_BACK: the local transaction then rolls back. */
  @Insert("INSERT INTO tx_log (tx_no, create_time, state) VALUES (#{txNo}, NOW(3), #{state})")
  void insert(@Param("txNo") String txNo, @Param("state") TxState state);

  /**
   * Records a decision unless one exists; returns 1 when this call made it. A local transaction still holding the row
   * makes it wait: at most {@link #DECISION_LOCK_WAIT_SECONDS}, then it fails (the server's own wait is 50 s).
   */
  @Options(timeout = DECISION_LOCK_WAIT_SECONDS)
  @Insert("INSERT IGNORE INTO tx_log (tx_no, create_time, state) VALUES (#{txNo}, NOW(3), #{state})")
  int insertIfAbsent(@Param("txNo") String txNo, @Param("state") TxState state);

  @Select("SELECT state FROM tx_log WHERE tx_no = #{txNo}")
  TxState findState(String txNo);
}
