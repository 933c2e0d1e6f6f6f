package io.reliabletx.stock.ledger;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

@Mapper
public interface StockMapper {

  /** Conditional deduction in one statement (no read-then-write race): 0 rows when stock is short or unknown. */
  @Update("UPDATE stock SET total_count = total_count - #{count} WHERE product_id = #{productId} AND total_count >= #{count}")
  int deduct(@Param("productId") long productId, @Param("count") int count);

  @Select("SELECT total_count FROM stock WHERE product_id = #{productId}")
  Integer findTotalCount(long productId);
}
