package io.reliabletx.order.orders;

import io.reliabletx.sample.common.mybatis.ParsedOnce;
import io.reliabletx.sample.common.mybatis.SqlPerSize;
import java.util.List;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Lang;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.SelectProvider;
import org.apache.ibatis.annotations.Update;
import org.apache.ibatis.annotations.UpdateProvider;

@Mapper
public interface OrderMapper {

  /**
   * Times come from the database clock, as in every other statement: Connector/J drops the fractional seconds of a
   * bound time when the server announces itself as MariaDB does ("5.5.5-10.x").
   */
  @Insert("INSERT INTO orders (create_time, update_time, order_no, tx_no, product_id, pay_count, status, "
      + "idempotency_key) VALUES (NOW(3), NOW(3), #{orderNo}, #{txNo}, #{productId}, #{payCount}, #{status}, "
      + "#{idempotencyKey})")
  void insert(Order order);

  @Select("SELECT order_no, tx_no, product_id, pay_count, status, status_reason, create_time, update_time, "
      + "idempotency_key FROM orders WHERE order_no = #{orderNo}")
  Order findByOrderNo(String orderNo);

  @Select("SELECT order_no, tx_no, product_id, pay_count, status, status_reason, create_time, update_time, "
      + "idempotency_key FROM orders WHERE idempotency_key = #{key}")
  Order findByIdempotencyKey(String key);

  @Select("SELECT order_no, tx_no, product_id, pay_count, status, status_reason, create_time, update_time, "
      + "idempotency_key FROM orders WHERE tx_no = #{txNo}")
  Order findByTxNo(String txNo);

  /** Confirms the PENDING orders among {@code orderNos} in one statement; returns how many it confirmed. */
  @UpdateProvider(type = Sql.class, method = "confirmAll")
  @Lang(ParsedOnce.class)
  int confirmAll(@Param("orderNos") List<String> orderNos);

  /** Which of {@code orderNos} exist. */
  @SelectProvider(type = Sql.class, method = "findExisting")
  @Lang(ParsedOnce.class)
  List<String> findExisting(@Param("orderNos") List<String> orderNos);

  /** Moves a PENDING order to its final status; 0 when it was resolved before (a redelivered outcome). */
  @Update("UPDATE orders SET status = #{status}, status_reason = #{reason}, update_time = NOW(3) "
      + "WHERE order_no = #{orderNo} AND status = 'PENDING'")
  int resolve(@Param("orderNo") String orderNo, @Param("status") OrderStatus status, @Param("reason") String reason);

  /** The SQL of the statements over a list of orders, one per number of orders (not a script evaluated per call). */
  final class Sql {

    private static final SqlPerSize CONFIRM_ALL = new SqlPerSize(n -> "UPDATE orders SET status = 'CONFIRMED', "
        + "status_reason = NULL, update_time = NOW(3) WHERE status = 'PENDING' AND order_no IN (" + orderNos(n) + ")");
    private static final SqlPerSize FIND_EXISTING = new SqlPerSize(n -> "SELECT order_no FROM orders WHERE order_no "
        + "IN (" + orderNos(n) + ")");

    private Sql() {
    }

    public static String confirmAll(@Param("orderNos") List<String> orderNos) {
      return CONFIRM_ALL.forSize(orderNos.size());
    }

    public static String findExisting(@Param("orderNos") List<String> orderNos) {
      return FIND_EXISTING.forSize(orderNos.size());
    }

    private static String orderNos(int n) {
      return SqlPerSize.repeat(n, ", ", i -> "#{orderNos[" + i + "]}");
    }
  }
}
