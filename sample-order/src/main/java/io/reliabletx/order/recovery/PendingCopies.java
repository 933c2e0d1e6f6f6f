package io.reliabletx.order.recovery;

import java.util.List;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * The resender's statements on {@code orders}. Its state lives on the row so that every replica of the order service
 * shares it: a replica publishes a copy only after claiming it, and the claim succeeds for one replica only.
 */
@Mapper
public interface PendingCopies {

  /**
   * Orders pending for longer than {@code ageMicros} and fewer than {@code maxAttempts} copies so far, after
   * {@code afterId} in key order, whose last copy is older than {@code ageMicros} doubled per copy sent: an order
   * still pending is more often queued behind a backlog than lost, and each copy adds to that backlog. Times are the
   * database's, like every other statement's.
   */
  @Select("SELECT id, order_no, tx_no, product_id, pay_count, resend_attempts FROM orders "
      + "WHERE status = 'PENDING' AND id > #{afterId} AND resend_attempts < #{maxAttempts} "
      + "AND create_time < TIMESTAMPADD(MICROSECOND, -#{ageMicros}, NOW(3)) "
      + "AND (last_resent_at IS NULL OR last_resent_at < TIMESTAMPADD(MICROSECOND, "
      + "-#{ageMicros} * POWER(2, LEAST(resend_attempts, 20)), NOW(3))) "
      + "ORDER BY id LIMIT #{limit}")
  List<PendingCopy> findDue(@Param("ageMicros") long ageMicros, @Param("maxAttempts") int maxAttempts,
                            @Param("afterId") long afterId, @Param("limit") int limit);

  /** Claims the next copy of an order; 1 for the replica that got it, 0 when another did or the order settled. */
  @Update("UPDATE orders SET resend_attempts = resend_attempts + 1, last_resent_at = NOW(3) "
      + "WHERE id = #{id} AND status = 'PENDING' AND resend_attempts = #{seenAttempts}")
  int claim(@Param("id") long id, @Param("seenAttempts") int seenAttempts);

  /** Gives back a claim whose copy could not be sent (the broker is away): it is not an attempt. */
  @Update("UPDATE orders SET resend_attempts = resend_attempts - 1, last_resent_at = NULL "
      + "WHERE id = #{id} AND resend_attempts = #{claimedAttempts}")
  int release(@Param("id") long id, @Param("claimedAttempts") int claimedAttempts);

  /** Seconds since the oldest pending order was created, on the database clock; null when none is pending. */
  @Select("SELECT TIMESTAMPDIFF(MICROSECOND, MIN(create_time), NOW(3)) / 1e6 FROM orders WHERE status = 'PENDING'")
  Double oldestPendingAgeSeconds();
}
