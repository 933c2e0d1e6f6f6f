package io.reliabletx.order.transaction;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** {@code tx_log} of tx-msg-orders: one decision per transaction number, the primary key deciding races. */
@Mapper
public interface TxLogMapper {

  /** Fails on the primary key when a check-back already decided ROLLED_BACK: the local transaction then rolls back. */
  @Insert("INSERT INTO tx_log (tx_no, create_time, state) VALUES (#{txNo}, NOW(3), #{state})")
  void insert(@Param("txNo") String txNo, @Param("state") TxState state);

  /** Records a decision unless one exists; returns 1 when this call made it. */
  @Insert("INSERT IGNORE INTO tx_log (tx_no, create_time, state) VALUES (#{txNo}, NOW(3), #{state})")
  int insertIfAbsent(@Param("txNo") String txNo, @Param("state") TxState state);

  @Select("SELECT state FROM tx_log WHERE tx_no = #{txNo}")
  TxState findState(String txNo);
}
