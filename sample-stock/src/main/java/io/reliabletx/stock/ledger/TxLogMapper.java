package io.reliabletx.stock.ledger;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** {@code tx_log} of tx-msg-stock: one row per applied order message, its primary key the idempotency guard. */
@Mapper
public interface TxLogMapper {

  /**
   * Claims the transaction number: 1 when this delivery is the first, 0 when the row exists (a redelivery). A
   * concurrent duplicate waits here on the row lock until the first commits, then gets 0.
   */
  @Insert("INSERT IGNORE INTO tx_log (tx_no, create_time, order_no, product_id, pay_count, outcome) "
      + "VALUES (#{txNo}, NOW(3), #{orderNo}, #{productId}, #{count}, 'APPLYING')")
  int claim(@Param("txNo") String txNo, @Param("orderNo") String orderNo, @Param("productId") long productId,
            @Param("count") int count);

  @Update("UPDATE tx_log SET outcome = #{outcome}, reason = #{reason} WHERE tx_no = #{txNo}")
  void recordOutcome(@Param("txNo") String txNo, @Param("outcome") String outcome, @Param("reason") String reason);

  @Select("SELECT outcome, reason FROM tx_log WHERE tx_no = #{txNo}")
  RecordedOutcome find(String txNo);

  record RecordedOutcome(String outcome, String reason) {
  }
}
