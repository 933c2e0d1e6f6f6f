package io.reliabletx.order.catalog;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Select;

/** The products this service sells (table {@code product}); an order for any other id is refused. */
@Mapper
public interface ProductCatalog {
  @Select("SELECT COUNT(*) > 0 FROM product WHERE id = #{productId}")
  boolean exists(long productId);
}
