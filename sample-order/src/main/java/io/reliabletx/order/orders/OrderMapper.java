package io.reliabletx.order.orders;

import java.util.List;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

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
  @Update("<script>UPDATE orders SET status = 'CONFIRMED', status_reason = NULL, update_time = NOW(3) "
      + "WHERE status = 'PENDING' AND order_no IN "
      + "<foreach item='o' collection='orderNos' open='(' separator=',' close=')'>#{o}</foreach></script>")
  int confirmAll(@Param("orderNos") List<String> orderNos);

  /** Which of {@code orderNos} exist. */
  @Select("<script>SELECT order_no FROM orders WHERE order_no IN "
      + "<foreach item='o' collection='orderNos' open='(' separator=',' close=')'>#{o}</foreach></script>")
  List<String> findExisting(@Param("orderNos") List<String> orderNos);

  /** Moves a PENDING order to its final status; 0 when it was resolved before (a redelivered outcome). */
  @Update("UPDATE orders SET status = #{status}, status_reason = #{reason}, update_time = NOW(3) "
      + "WHERE order_no = #{orderNo} AND status = 'PENDING'")
  int resolve(@Param("orderNo") String orderNo, @Param("status") OrderStatus status, @Param("reason") String reason);
}
