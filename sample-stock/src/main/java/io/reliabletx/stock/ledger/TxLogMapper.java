package io.reliabletx.stock.ledger;

import io.reliabletx.messages.OrderPlaced;
import io.reliabletx.sample.common.mybatis.ParsedOnce;
import io.reliabletx.sample.common.mybatis.SqlPerSize;
import java.util.List;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.InsertProvider;
import org.apache.ibatis.annotations.Lang;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** {@code tx_log} of tx-msg-stock: one row per applied order message, its primary key the idempotency guard. */
@Mapper
public interface TxLogMapper {

  /**
   * Records what this delivery did. Fails on the primary key when the transaction number was applied before (a
   * redelivery), or by a concurrent duplicate that committed first (this insert waits on its row lock).
   */
  @Insert("INSERT INTO tx_log (tx_no, create_time, order_no, product_id, pay_count, outcome, reason) "
      + "VALUES (#{txNo}, NOW(3), #{orderNo}, #{productId}, #{count}, #{outcome}, #{reason})")
  void insert(@Param("txNo") String txNo, @Param("orderNo") String orderNo, @Param("productId") long productId,
              @Param("count") int count, @Param("outcome") String outcome, @Param("reason") String reason);

  /**
   * {@link #insert} of several orders in one statement, each DEDUCTED for now; fails as a whole when any of them was
   * applied before or appears twice.
   */
  @InsertProvider(type = Sql.class, method = "insertDeducted")
  @Lang(ParsedOnce.class)
  void insertDeducted(@Param("orders") List<OrderPlaced> orders);

  /** In the same transaction as {@link #insert}: the deduction found the stock short (or the product unknown). */
  @Update("UPDATE tx_log SET outcome = 'REJECTED', reason = #{reason} WHERE tx_no = #{txNo}")
  int markRejected(@Param("txNo") String txNo, @Param("reason") String reason);

  @Select("SELECT outcome, reason FROM tx_log WHERE tx_no = #{txNo}")
  RecordedOutcome find(String txNo);

  record RecordedOutcome(String outcome, String reason) {
  }

  /** The SQL of {@link #insertDeducted}, one statement per number of orders (not a script evaluated per call). */
  final class Sql {

    private static final SqlPerSize INSERT_DEDUCTED = new SqlPerSize(n -> "INSERT INTO tx_log (tx_no, create_time, "
        + "order_no, product_id, pay_count, outcome, reason) VALUES " + SqlPerSize.repeat(n, ", ", i -> "(#{orders[" + i
        + "].txNo}, NOW(3), #{orders[" + i + "].orderNo}, #{orders[" + i + "].productId}, #{orders[" + i + "].count}, "
        + "'DEDUCTED', NULL)"));

    private Sql() {
    }

    public static String insertDeducted(@Param("orders") List<OrderPlaced> orders) {
      return INSERT_DEDUCTED.forSize(orders.size());
    }
  }
}
