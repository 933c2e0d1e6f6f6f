package io.reliabletx.order.placing;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

@Mapper
public interface OrderMapper {

  @Insert("INSERT INTO orders (create_time, update_time, order_no, tx_no, product_id, pay_count, status) "
      + "VALUES (#{createTime}, #{updateTime}, #{orderNo}, #{txNo}, #{productId}, #{payCount}, #{status})")
  void insert(Order order);

  @Select("SELECT order_no, tx_no, product_id, pay_count, status, status_reason, create_time, update_time "
      + "FROM orders WHERE order_no = #{orderNo}")
  Order findByOrderNo(String orderNo);

  @Select("SELECT order_no, tx_no, product_id, pay_count, status, status_reason, create_time, update_time "
      + "FROM orders WHERE status = 'PENDING' AND create_time < #{before} ORDER BY id LIMIT #{limit}")
  java.util.List<Order> findPendingCreatedBefore(@Param("before") java.time.LocalDateTime before, @Param("limit") int limit);

  /** Moves a PENDING order to its final status; 0 when it was resolved before (a redelivered outcome). */
  @Update("UPDATE orders SET status = #{status}, status_reason = #{reason}, update_time = NOW(3) "
      + "WHERE order_no = #{orderNo} AND status = 'PENDING'")
  int resolve(@Param("orderNo") String orderNo, @Param("status") OrderStatus status, @Param("reason") String reason);
}
