package io.reliabletx.sample.common;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code reliabletx.*} settings both services read. The operator sets them through the environment variables
 * of the contract in DESIGN.md ({@code RELIABLETX_TOPIC} etc.); the defaults let the services run locally.
 *
 * @param topic               the transactional topic carrying {@code OrderPlaced}
 * @param producerGroup       the order service's transactional producer group (check-backs go to any live member)
 * @param consumerGroup       the stock service's consumer group on {@code topic}
 * @param resultTopic         where the stock service publishes each order's {@code StockOutcome}
 * @param resultConsumerGroup the order service's consumer group on {@code resultTopic}
 * @param resultProducerGroup the stock service's producer group for outcomes
 * @param consumerThreads     consuming threads per consumer
 * @param consumerBatchSize   messages a consuming thread takes at once when that many have arrived, applied in one
 *                            local transaction (fewer commits under load; one at a time when traffic is light)
 * @param checkBackRollbackAfter a check-back that finds no record of a transaction this old decides ROLLBACK; at least
 *                            1 s, since a shorter window would tombstone local transactions still in flight
 * @param maxRequestBytes     request bodies larger than this are refused with HTTP 413
 * @param pendingResendAfter  an order still PENDING this long after it was created has its message published again;
 *                            each further copy waits twice as long as the one before
 * @param pendingResendInterval how often the order service looks for such orders
 * @param pendingResendMaxAttempts copies of one order's message at most; an order still pending after that many is
 *                            left to an operator (logged, counted in {@code reliabletx.orders.resend.exhausted})
 * @param localTransactionTimeout the order service's local transaction (order + tx_log) rolls back when it has not
 *                            committed within this time: below {@code checkBackRollbackAfter}, so that it is over before a
 *                            check-back answers ROLLBACK. Unset: RocketMQ's default transactionTimeOut (6 s), at most half
 *                            of {@code checkBackRollbackAfter}, the rule the operator applies to the broker's settings
 * @param accessLog           one log line per HTTP request (logger {@code reliabletx.access}): method, path, status,
 *                            duration, request id
 */
@Validated
@ConfigurationProperties("reliabletx")
public record ReliableTxProperties(
    @NotBlank String topic,
    @NotBlank String producerGroup,
    @NotBlank String consumerGroup,
    @NotBlank String resultTopic,
    @NotBlank String resultConsumerGroup,
    @NotBlank String resultProducerGroup,
    @Min(1) @Max(256) int consumerThreads,
    @Min(1) @Max(256) int consumerBatchSize,
    @DurationMin(seconds = 1, message = "must be at least 1s: a check-back that rolls back sooner would abort local "
        + "transactions still in flight") Duration checkBackRollbackAfter,
    @Min(256) long maxRequestBytes,
    @DurationMin(seconds = 1, message = "must be at least 1s") Duration pendingResendAfter,
    @DurationMin(millis = 100, message = "must be at least 100ms") Duration pendingResendInterval,
    @Min(1) @Max(1000) Integer pendingResendMaxAttempts,
    @DurationMin(millis = 100, message = "must be at least 100ms") Duration localTransactionTimeout,
    boolean accessLog) {

  /** RocketMQ's default {@code transactionTimeOut}: the time a broker gives a local transaction before it asks. */
  public static final Duration BROKER_DEFAULT_TRANSACTION_TIMEOUT = Duration.ofSeconds(6);

  public ReliableTxProperties {
    topic = orDefault(topic, "reliabletx-orders");
    producerGroup = orDefault(producerGroup, "reliabletx-order-producer");
    consumerGroup = orDefault(consumerGroup, "reliabletx-stock-consumer");
    resultTopic = orDefault(resultTopic, "reliabletx-order-results");
    resultConsumerGroup = orDefault(resultConsumerGroup, "reliabletx-order-result-consumer");
    resultProducerGroup = orDefault(resultProducerGroup, "reliabletx-stock-result-producer");
    consumerThreads = consumerThreads == 0 ? 8 : consumerThreads;
    consumerBatchSize = consumerBatchSize == 0 ? 16 : consumerBatchSize;
    checkBackRollbackAfter = checkBackRollbackAfter == null ? Duration.ofSeconds(60) : checkBackRollbackAfter;
    maxRequestBytes = maxRequestBytes == 0 ? 16 * 1024 : maxRequestBytes;
    pendingResendAfter = pendingResendAfter == null ? Duration.ofSeconds(60) : pendingResendAfter;
    pendingResendInterval = pendingResendInterval == null ? Duration.ofSeconds(15) : pendingResendInterval;
    pendingResendMaxAttempts = pendingResendMaxAttempts == null ? 10 : pendingResendMaxAttempts; // 0 is refused
    if (localTransactionTimeout == null) {
      Duration half = checkBackRollbackAfter.dividedBy(2);
      localTransactionTimeout = half.compareTo(BROKER_DEFAULT_TRANSACTION_TIMEOUT) < 0 ? half
          : BROKER_DEFAULT_TRANSACTION_TIMEOUT;
    }
  }

  /** Validated with the rest, so that a start refused for several reasons names them all. */
  @AssertTrue(message = "reliabletx.local-transaction-timeout must be below reliabletx.check-back-rollback-after: a"
      + " local transaction still running when a check-back answers ROLLBACK would commit an order whose message is gone")
  public boolean isLocalTransactionTimeoutBelowTheRollbackDeadline() {
    return localTransactionTimeout.compareTo(checkBackRollbackAfter) < 0;
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }
}
