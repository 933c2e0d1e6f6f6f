package io.reliabletx.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.reliabletx.messages.MessageCodec;
import io.reliabletx.messages.OrderPlaced;
import io.reliabletx.messages.StockOutcome;
import io.reliabletx.order.orders.Order;
import io.reliabletx.order.recovery.PendingCopies;
import io.reliabletx.order.recovery.PendingOrderResender;
import io.reliabletx.order.transaction.CheckBack;
import io.reliabletx.order.transaction.LocalOrderTransaction;
import io.reliabletx.order.transaction.OrderTransactionListener;
import io.reliabletx.order.transaction.TxLogMapper;
import io.reliabletx.sample.common.ReliableTxProperties;
import io.reliabletx.sample.common.faults.FaultPoints;
import io.reliabletx.testing.testbed.SharedTestbed;
import io.reliabletx.testing.testbed.Testbed;
import io.reliabletx.testing.testbed.TopicRecorder;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The order service on a real MariaDB and a real broker: the commit path, both failure paths, and bad input. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.config.name=" + OrderApplication.CONFIG_NAME, "reliabletx.fault-injection.enabled=true",
    // The tests run the resender's passes themselves; a scheduled one would race them for the claims.
    "reliabletx.pending-resend-interval=1h"})
class OrderServiceTest {

  static final Testbed BED = SharedTestbed.get();
  static TopicRecorder orderMessages;
  static DefaultMQProducer outcomeSender;

  @Autowired TestRestTemplate http;
  @Autowired FaultPoints faults;
  @Autowired MeterRegistry meters;
  @Autowired CheckBack checkBack;
  @Autowired javax.sql.DataSource dataSource;
  @Autowired LocalOrderTransaction localTransaction;
  @Autowired PlatformTransactionManager transactionManager;
  @Autowired PendingOrderResender resender;
  @Autowired PendingCopies pendingCopies;
  @Autowired TransactionMQProducer producer;
  @Autowired ReliableTxProperties properties;
  @Autowired io.reliabletx.order.orders.OrderMapper orderMapper;
  @Autowired TxLogMapper txLog;

  @DynamicPropertySource
  static void wire(DynamicPropertyRegistry registry) {
    // Among them the rollback deadline the operator derives from the testbed's fast check-back (2 s).
    BED.orderServiceProperties().forEach((k, v) -> registry.add(k, () -> v));
  }

  @BeforeAll
  static void witnesses() throws Exception {
    orderMessages = new TopicRecorder(BED.mq().nameServerAddress(), Testbed.TOPIC);
    outcomeSender = new DefaultMQProducer("test-outcome-sender");
    outcomeSender.setNamesrvAddr(BED.mq().nameServerAddress());
    outcomeSender.setInstanceName("test-outcome-sender");
    outcomeSender.start();
  }

  @AfterAll
  static void closeWitnesses() {
    orderMessages.close();
    outcomeSender.shutdown();
  }

  @BeforeEach
  void products() {
    BED.truncateAll();
    BED.putProduct(1, "mug", 100);
  }

  @AfterEach
  void disarm() {
    faults.disarmAll();
  }

  @Test
  void committedOrderIsRecordedItsMessageDeliveredAndItsOutcomeApplied() throws Exception {
    ResponseEntity<Map> created = post("{\"productId\":1,\"count\":2}");
    assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    String orderNo = (String) created.getBody().get("orderNo");
    String txNo = (String) created.getBody().get("txNo");
    assertThat(created.getHeaders().getLocation()).hasToString("/orders/" + orderNo);
    assertThat(created.getBody()).containsEntry("status", "PENDING").containsEntry("count", 2);

    assertThat(query("SELECT state FROM tx_log WHERE tx_no = '" + txNo + "'")).isEqualTo("COMMITTED");
    assertThat(orderMessages.await(d -> txNo.equals(d.key()), Duration.ofSeconds(20))).isTrue();
    OrderPlaced message = MessageCodec.decode(orderMessages.withKey(txNo).get(0).body().getBytes(), OrderPlaced.class);
    assertThat(message).isEqualTo(new OrderPlaced(txNo, orderNo, 1, 2));
    assertThat(orderMessages.withKey(txNo).get(0).transactional()).isTrue();

    sendOutcome(new StockOutcome(txNo, orderNo, StockOutcome.Outcome.DEDUCTED, null));
    await().atMost(Duration.ofSeconds(20)).until(() -> "CONFIRMED".equals(getOrder(orderNo).getBody().get("status")));
    // A redelivered or late outcome never changes a resolved order.
    sendOutcome(new StockOutcome(txNo, orderNo, StockOutcome.Outcome.REJECTED, StockOutcome.INSUFFICIENT_STOCK));
    await().atMost(Duration.ofSeconds(20)).until(() -> meters.counter("reliabletx.outcomes.duplicate").count() >= 1);
    assertThat(getOrder(orderNo).getBody()).containsEntry("status", "CONFIRMED");
  }

  @Test
  void outcomesArrivingTogetherAreAppliedTogetherEachOnce() throws Exception {
    List<Map> placed = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      placed.add(post("{\"productId\":1,\"count\":1}").getBody());
    }
    double duplicatesBefore = meters.counter("reliabletx.outcomes.duplicate").count();
    List<StockOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      outcomes.add(new StockOutcome((String) placed.get(i).get("txNo"), (String) placed.get(i).get("orderNo"),
          StockOutcome.Outcome.DEDUCTED, null));
    }
    outcomes.add(outcomes.get(0)); // a repeat inside the batch
    outcomes.add(new StockOutcome("TX-none", "O-none", StockOutcome.Outcome.DEDUCTED, null)); // an order never placed
    outcomes.add(new StockOutcome((String) placed.get(3).get("txNo"), (String) placed.get(3).get("orderNo"),
        StockOutcome.Outcome.REJECTED, StockOutcome.INSUFFICIENT_STOCK));
    // One batch send: stored together, so the consumer takes them together.
    outcomeSender.send(outcomes.stream().map(o -> new Message(Testbed.RESULT_TOPIC, "t", o.txNo(),
        MessageCodec.encode(o))).toList());

    await().atMost(Duration.ofSeconds(20)).until(() -> "CANCELLED".equals(
        getOrder((String) placed.get(3).get("orderNo")).getBody().get("status")));
    for (int i = 0; i < 3; i++) {
      assertThat(getOrder((String) placed.get(i).get("orderNo")).getBody()).containsEntry("status", "CONFIRMED");
    }
    await().atMost(Duration.ofSeconds(20))
        .until(() -> meters.counter("reliabletx.outcomes.duplicate").count() == duplicatesBefore + 1);
    assertThat(meters.get("reliabletx.messages.batch.size").tag("topic", Testbed.RESULT_TOPIC).summary().max())
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void orderTimesAreStoredToTheMillisecond() throws Exception {
    // MariaDB announces itself as "5.5.5-10.x" and Connector/J then drops fractional seconds of bound parameters;
    // the recovery scan and latency figures need the milliseconds. Five orders all at .000 would be a 1e-15 chance.
    List<String> orderNos = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      orderNos.add("'" + post("{\"productId\":1,\"count\":1}").getBody().get("orderNo") + "'");
      Thread.sleep(3);
    }
    assertThat(count("SELECT COUNT(*) FROM orders WHERE MICROSECOND(create_time) <> 0 AND order_no IN ("
        + String.join(",", orderNos) + ")")).isPositive();
  }

  @Test
  void rejectedOutcomeCancelsTheOrderWithItsReason() throws Exception {
    ResponseEntity<Map> created = post("{\"productId\":1,\"count\":1}");
    String orderNo = (String) created.getBody().get("orderNo");
    sendOutcome(new StockOutcome((String) created.getBody().get("txNo"), orderNo, StockOutcome.Outcome.REJECTED,
        StockOutcome.INSUFFICIENT_STOCK));
    await().atMost(Duration.ofSeconds(20)).until(() -> "CANCELLED".equals(getOrder(orderNo).getBody().get("status")));
    assertThat(getOrder(orderNo).getBody()).containsEntry("reason", StockOutcome.INSUFFICIENT_STOCK);
  }

  @Test
  void failedLocalTransactionRecordsNothingAndNothingIsDelivered() throws Exception {
    faults.arm(LocalOrderTransaction.BEFORE_COMMIT, FaultPoints.Action.THROW, 1);
    ResponseEntity<Map> refused = post("{\"productId\":1,\"count\":7}"); // 7: no other test orders 7
    assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(refused.getBody()).containsEntry("title", "Order not recorded");
    assertThat(count("SELECT COUNT(*) FROM orders")).isZero();
    assertThat(count("SELECT COUNT(*) FROM tx_log")).isZero();
    // Past several check-back rounds, nothing of it reached a consumer.
    Thread.sleep(4000);
    assertThat(orderMessages.deliveries()).noneMatch(d -> d.body().contains("\"count\":7"));
  }

  @Test
  void unknownOutcomeAfterLocalCommitIsCommittedByCheckBack() throws Exception {
    double commitsBefore = meters.counter("reliabletx.checkbacks", "outcome", "commit").count();
    faults.arm(OrderTransactionListener.AFTER_COMMIT, FaultPoints.Action.THROW, 1);
    ResponseEntity<Map> accepted = post("{\"productId\":1,\"count\":3}");
    assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
    String txNo = (String) accepted.getBody().get("txNo");
    assertThat(orderMessages.await(d -> txNo.equals(d.key()), Duration.ofSeconds(30))).isTrue();
    assertThat(meters.counter("reliabletx.checkbacks", "outcome", "commit").count()).isGreaterThan(commitsBefore);
    assertThat(getOrder((String) accepted.getBody().get("orderNo")).getStatusCode()).isEqualTo(HttpStatus.OK);
  }

  @Test
  void unknownCommitOutcomeWithNothingRecordedIsRolledBackByCheckBack() throws Exception {
    faults.arm(LocalOrderTransaction.AT_COMMIT, FaultPoints.Action.THROW, 1);
    ResponseEntity<Map> accepted = post("{\"productId\":1,\"count\":4}");
    assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
    String txNo = (String) accepted.getBody().get("txNo");
    await().atMost(Duration.ofSeconds(30))
        .until(() -> "ROLLED_BACK".equals(query("SELECT state FROM tx_log WHERE tx_no = '" + txNo + "'")));
    assertThat(getOrder((String) accepted.getBody().get("orderNo")).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    Thread.sleep(3000);
    assertThat(orderMessages.withKey(txNo)).isEmpty();
  }

  @Test
  void anOrderPendingTooLongHasItsMessagePublishedAgainAsATransactionalMessage() throws Exception {
    Order stuck = stuckOrder(10);
    assertThat(resender.resendOverdue()).isEqualTo(1);
    assertThat(resender.resendOverdue()).as("not again within the quiet period").isZero();
    assertThat(orderMessages.await(d -> stuck.txNo().equals(d.key()), Duration.ofSeconds(20))).isTrue();
    TopicRecorder.Delivery copy = orderMessages.withKey(stuck.txNo()).get(0);
    assertThat(MessageCodec.decode(copy.body().getBytes(), OrderPlaced.class))
        .isEqualTo(new OrderPlaced(stuck.txNo(), stuck.orderNo(), 1, 5));
    // A RocketMQ 5 proxy accepts only transactional messages on a TRANSACTION topic.
    assertThat(copy.transactional()).as("the copy is a committed transactional message").isTrue();
    assertThat(count("SELECT resend_attempts FROM orders WHERE order_no = '" + stuck.orderNo() + "'")).isEqualTo(1);
    assertThat(meters.get("reliabletx.orders.pending.oldest").gauge().value()).isGreaterThan(590);
  }

  @Test
  void twoReplicasPublishOneCopyPerPeriodBetweenThem() throws Exception {
    int overdue = 200;
    stuckOrders(overdue);
    PendingOrderResender otherReplica = new PendingOrderResender(pendingCopies, producer, properties,
        new SimpleMeterRegistry());
    // Both passes at once read the same due orders; each copy goes to the replica whose claim lands first.
    CompletableFuture<Integer> other = CompletableFuture.supplyAsync(otherReplica::resendOverdue);
    int sent = resender.resendOverdue() + other.get(60, TimeUnit.SECONDS);
    assertThat(sent).isEqualTo(overdue);
    assertThat(count("SELECT COUNT(*) FROM orders WHERE resend_attempts = 1")).isEqualTo(overdue);
    assertThat(otherReplica.resendOverdue() + resender.resendOverdue()).as("none within the period").isZero();
    // The next copy waits twice as long (2 min here); then whichever replica looks first sends it, and only one does.
    BED.db().execute(Testbed.ORDERS_DB, List.of("UPDATE orders SET last_resent_at = NOW(3) - INTERVAL 90 SECOND"));
    assertThat(otherReplica.resendOverdue() + resender.resendOverdue()).as("backing off").isZero();
    BED.db().execute(Testbed.ORDERS_DB, List.of("UPDATE orders SET last_resent_at = NOW(3) - INTERVAL 150 SECOND"));
    assertThat(otherReplica.resendOverdue() + resender.resendOverdue()).isEqualTo(overdue);
    assertThat(count("SELECT COUNT(*) FROM orders WHERE resend_attempts = 2")).isEqualTo(overdue);
  }

  @Test
  void onePassReachesEveryOverdueOrderNotOnlyTheFirstPage() throws Exception {
    int overdue = PendingOrderResender.PAGE + 1;
    stuckOrders(overdue);
    assertThat(resender.resendOverdue()).isEqualTo(overdue);
    assertThat(count("SELECT COUNT(*) FROM orders WHERE resend_attempts = 1")).isEqualTo(overdue);
  }

  /** {@code n} orders committed 10 minutes ago, still PENDING, their messages lost. */
  private static void stuckOrders(int n) throws Exception {
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < n; i++) {
      rows.append(i == 0 ? "" : ",").append("(NOW(3) - INTERVAL 10 MINUTE, NOW(3), 'O-stuck-").append(i)
          .append("', 'TX-stuck-").append(i).append("', 1, 1, 'PENDING')");
    }
    BED.db().execute(Testbed.ORDERS_DB, List.of("INSERT INTO orders (create_time, update_time, order_no, tx_no, "
        + "product_id, pay_count, status) VALUES " + rows));
  }

  @Test
  void anOrderGetsNoMoreCopiesThanTheCapAndTheLastIsCounted() throws Exception {
    Order stuck = stuckOrder(10);
    int cap = properties.pendingResendMaxAttempts();
    BED.db().execute(Testbed.ORDERS_DB, List.of("UPDATE orders SET resend_attempts = " + (cap - 1)
        + ", last_resent_at = NOW(3) - INTERVAL 30 DAY WHERE order_no = '" + stuck.orderNo() + "'"));
    double exhaustedBefore = meters.counter("reliabletx.orders.resend.exhausted").count();
    assertThat(resender.resendOverdue()).as("the last copy").isEqualTo(1);
    assertThat(meters.counter("reliabletx.orders.resend.exhausted").count()).isEqualTo(exhaustedBefore + 1);
    BED.db().execute(Testbed.ORDERS_DB, List.of("UPDATE orders SET last_resent_at = NOW(3) - INTERVAL 30 DAY"));
    assertThat(resender.resendOverdue()).as("none past the cap").isZero();
  }

  /** An order committed {@code minutesAgo} whose message the broker lost: PENDING, COMMITTED, no message sent. */
  private static Order stuckOrder(int minutesAgo) throws Exception {
    Order stuck = Order.newPending(1, 5);
    BED.db().execute(Testbed.ORDERS_DB, List.of(
        "INSERT INTO orders (create_time, update_time, order_no, tx_no, product_id, pay_count, status) VALUES "
            + "(NOW(3) - INTERVAL " + minutesAgo + " MINUTE, NOW(3), '" + stuck.orderNo() + "', '" + stuck.txNo()
            + "', 1, 5, 'PENDING')",
        "INSERT INTO tx_log (tx_no, create_time, state) VALUES ('" + stuck.txNo() + "', NOW(3), 'COMMITTED')"));
    return stuck;
  }

  @Test
  void aCheckBackRollbackWinsOverALateLocalTransaction() throws Exception {
    Order late = Order.newPending(1, 1);
    // The broker asks about a half message sent long ago whose local transaction has not committed yet...
    assertThat(checkBack.decide(late.txNo(), Instant.now().minusSeconds(3600)))
        .isEqualTo(LocalTransactionState.ROLLBACK_MESSAGE);
    // ...so when that transaction finally tries to commit, the recorded decision refuses it.
    assertThatThrownBy(() -> localTransaction.record(late)).isInstanceOf(DuplicateKeyException.class);
    assertThat(count("SELECT COUNT(*) FROM orders WHERE order_no = '" + late.orderNo() + "'")).isZero();
    assertThat(checkBack.decide(late.txNo(), Instant.now())).isEqualTo(LocalTransactionState.ROLLBACK_MESSAGE);
  }

  @Test
  void aCheckBackDoesNotWaitOnALocalTransactionStillHoldingItsRow() throws Exception {
    Order slow = Order.newPending(1, 1);
    // A local transaction that wrote its tx_log row but has not committed: its row lock is held.
    try (Connection holder = BED.db().rootConnection(Testbed.ORDERS_DB)) {
      holder.setAutoCommit(false);
      try (Statement s = holder.createStatement()) {
        s.executeUpdate("INSERT INTO tx_log (tx_no, create_time, state) VALUES ('" + slow.txNo()
            + "', NOW(3), 'COMMITTED')");
      }
      // The broker asks after the rollback deadline: the tombstone insert meets the lock. The answer must come
      // quickly (UNKNOWN: the broker asks again), not after the server's lock wait (50 s), holding a pool thread.
      long start = System.nanoTime();
      LocalTransactionState answer = checkBack.decide(slow.txNo(), Instant.now().minusSeconds(3600));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(answer).isEqualTo(LocalTransactionState.UNKNOW);
      assertThat(took).isLessThan(Duration.ofSeconds(5));
      holder.commit();
    }
    assertThat(checkBack.decide(slow.txNo(), Instant.now().minusSeconds(3600)))
        .isEqualTo(LocalTransactionState.COMMIT_MESSAGE);
  }

  @Test
  void aSettledCheckBackIsAnsweredWhileTheDatabaseIsDown() throws Exception {
    ResponseEntity<Map> created = post("{\"productId\":1,\"count\":1}");
    String txNo = (String) created.getBody().get("txNo");
    assertThat(checkBack.decide(txNo, Instant.now().minusSeconds(3600))).isEqualTo(LocalTransactionState.COMMIT_MESSAGE);
    // A decision never changes once recorded, so a broker that re-checks it (after its own crash it re-checks
    // every half message since its last offset flush) is answered without the database: here, while it is down.
    BED.db().kill();
    try {
      long start = System.nanoTime();
      assertThat(checkBack.decide(txNo, Instant.now().minusSeconds(3600)))
          .isEqualTo(LocalTransactionState.COMMIT_MESSAGE);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    } finally {
      BED.db().restart();
      // The pool's connections died with the server: drop them so the next test starts on live ones.
      ((com.zaxxer.hikari.HikariDataSource) dataSource).getHikariPoolMXBean().softEvictConnections();
      await().atMost(Duration.ofSeconds(30)).until(() -> http.getForEntity("/actuator/health/readiness", String.class)
          .getStatusCode().is2xxSuccessful());
    }
  }

  @Test
  void aRetryWithTheSameKeyReturnsTheFirstOrderInItsCurrentState() throws Exception {
    ResponseEntity<Map> first = post("{\"productId\":1,\"count\":2}", "retry-1");
    assertThat(first.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    String orderNo = (String) first.getBody().get("orderNo");
    String txNo = (String) first.getBody().get("txNo");

    ResponseEntity<Map> retry = post("{\"productId\":1,\"count\":2}", "retry-1");
    assertThat(retry.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(retry.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retry.getHeaders().getLocation()).hasToString("/orders/" + orderNo);
    assertThat(retry.getBody()).containsEntry("orderNo", orderNo).containsEntry("txNo", txNo);

    sendOutcome(new StockOutcome(txNo, orderNo, StockOutcome.Outcome.DEDUCTED, null));
    await().atMost(Duration.ofSeconds(20)).until(() -> "CONFIRMED".equals(getOrder(orderNo).getBody().get("status")));
    ResponseEntity<Map> late = post("{\"productId\":1,\"count\":2}", "retry-1");
    assertThat(late.getBody()).containsEntry("orderNo", orderNo).containsEntry("status", "CONFIRMED");
    assertThat(count("SELECT COUNT(*) FROM orders")).isEqualTo(1);
    assertThat(orderMessages.await(d -> txNo.equals(d.key()), Duration.ofSeconds(20))).isTrue();
    assertThat(orderMessages.deliveries()).filteredOn(d -> d.body().contains(orderNo)).allMatch(d -> txNo.equals(d.key()));
  }

  @Test
  void theSameKeyWithAnotherBodyIsRefusedWith422AndRecordsNothing() throws Exception {
    String orderNo = (String) post("{\"productId\":1,\"count\":2}", "reused-1").getBody().get("orderNo");
    ResponseEntity<Map> reused = post("{\"productId\":1,\"count\":3}", "reused-1");
    assertThat(reused.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
    assertThat(reused.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat((String) reused.getBody().get("detail")).contains("Idempotency-Key", "reused-1", orderNo);
    assertThat(count("SELECT COUNT(*) FROM orders")).isEqualTo(1);
    assertThat(count("SELECT pay_count FROM orders")).isEqualTo(2);
  }

  @Test
  void aMalformedIdempotencyKeyIsA400ProblemNamingTheHeader() throws Exception {
    for (String bad : List.of("", "has space", "x".repeat(65), "caf\u00e9", "a/b")) {
      ResponseEntity<Map> refused = post("{\"productId\":1,\"count\":1}", bad);
      assertThat(refused.getStatusCode()).as("'%s'", bad).isEqualTo(HttpStatus.BAD_REQUEST);
      assertThat(refused.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
      assertThat((String) refused.getBody().get("detail")).as(bad).contains("Idempotency-Key");
    }
    assertThat(post("{\"productId\":1,\"count\":1}", "x".repeat(64)).getStatusCode()).isEqualTo(HttpStatus.CREATED);
    assertThat(count("SELECT COUNT(*) FROM orders")).isEqualTo(1);
  }

  @Test
  void concurrentRequestsWithTheSameKeyRecordExactlyOneOrder() throws Exception {
    int clients = 8;
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(clients);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
    List<java.util.concurrent.Future<ResponseEntity<Map>>> answers = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      answers.add(pool.submit(() -> {
        start.await();
        return post("{\"productId\":1,\"count\":2}", "race-1");
      }));
    }
    List<ResponseEntity<Map>> responses = new ArrayList<>();
    for (var answer : answers) {
      responses.add(answer.get(60, java.util.concurrent.TimeUnit.SECONDS));
    }
    pool.shutdown();
    assertThat(responses).extracting(ResponseEntity::getStatusCode)
        .containsOnly(HttpStatus.CREATED, HttpStatus.OK).containsOnlyOnce(HttpStatus.CREATED);
    assertThat(responses).extracting(r -> r.getBody().get("orderNo")).containsOnly(
        query("SELECT order_no FROM orders WHERE idempotency_key = 'race-1'"));
    assertThat(count("SELECT COUNT(*) FROM orders")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM tx_log")).isEqualTo(1);
  }

  @Test
  void aRequestRacingAnUncommittedFirstAttemptWaitsForItAndReturnsItsOrder() throws Exception {
    // The first attempt is in flight: its order row is inserted, not committed (held open here).
    Order first = Order.newPending(1, 2, "race-2");
    try (Connection c = BED.db().rootConnection(Testbed.ORDERS_DB); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.executeUpdate("INSERT INTO orders (create_time, update_time, order_no, tx_no, product_id, pay_count, status, "
          + "idempotency_key) VALUES (NOW(3), NOW(3), '" + first.orderNo() + "', '" + first.txNo()
          + "', 1, 2, 'PENDING', 'race-2')");
      s.executeUpdate("INSERT INTO tx_log (tx_no, create_time, state) VALUES ('" + first.txNo() + "', NOW(3), 'COMMITTED')");
      var retry = java.util.concurrent.CompletableFuture.supplyAsync(() -> post("{\"productId\":1,\"count\":2}", "race-2"));
      // The retry does not see the uncommitted row, records its own order and waits on the unique key.
      // The first attempt must commit within the retry's local transaction timeout (1 s here), past which the waiting
      // insert is cancelled: looked for from this connection (no connect per look), every 150 ms (InnoDB refreshes its
      // information_schema lock tables only when they were last read over 100 ms ago: faster looks never see it).
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(150)).until(() -> {
        try (ResultSet waits = s.executeQuery("SELECT COUNT(*) FROM information_schema.innodb_lock_waits")) {
          return waits.next() && waits.getLong(1) > 0;
        }
      });
      assertThat(retry).isNotDone();
      c.commit();
      ResponseEntity<Map> answer = retry.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
      assertThat(answer.getBody()).containsEntry("orderNo", first.orderNo());
    }
    assertThat(count("SELECT COUNT(*) FROM orders")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM tx_log")).isEqualTo(1);
  }

  @Test
  void aLocalTransactionBlockedPastItsTimeoutRollsBackAndRecordsNothing() throws Exception {
    Duration timeout = properties.localTransactionTimeout();
    assertThat(timeout).as("the testbed's, from its broker's settings").isLessThan(properties.checkBackRollbackAfter());
    // Another transaction holds the key's index entry (a first attempt frozen before its commit): this request's insert
    // waits for it. Unbounded, it would wait the server's 50 s lock wait, past the check-back's rollback deadline.
    Order holder = Order.newPending(1, 2, "slow-1");
    ResponseEntity<Map> answer;
    long took;
    try (Connection c = BED.db().rootConnection(Testbed.ORDERS_DB); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.executeUpdate("INSERT INTO orders (create_time, update_time, order_no, tx_no, product_id, pay_count, status, "
          + "idempotency_key) VALUES (NOW(3), NOW(3), '" + holder.orderNo() + "', '" + holder.txNo()
          + "', 1, 2, 'PENDING', 'slow-1')");
      long start = System.nanoTime();
      var request = CompletableFuture.supplyAsync(() -> post("{\"productId\":1,\"count\":2}", "slow-1"));
      try {
        answer = request.get(10, TimeUnit.SECONDS);
      } finally {
        took = System.nanoTime() - start;
        c.rollback(); // the first attempt gives up too
      }
    }
    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat((String) answer.getBody().get("detail")).contains("did not finish within " + timeout.toMillis() + " ms");
    assertThat(Duration.ofNanos(took)).isGreaterThanOrEqualTo(timeout).isLessThan(Duration.ofSeconds(10));
    assertThat(count("SELECT COUNT(*) FROM orders")).isZero();
    assertThat(count("SELECT COUNT(*) FROM tx_log")).isZero();
    assertThat(post("{\"productId\":1,\"count\":2}", "slow-1").getStatusCode()).as("the retry").isEqualTo(HttpStatus.CREATED);
  }

  @Test
  void aLocalTransactionPastItsTimeoutWhenItWouldCommitRollsBackInstead() throws Exception {
    Duration timeout = properties.localTransactionTimeout();
    // The tx_log insert returns late (a slow server, a GC pause): the transaction is past its deadline before commit.
    TxLogMapper slowTxLog = (TxLogMapper) java.lang.reflect.Proxy.newProxyInstance(TxLogMapper.class.getClassLoader(),
        new Class<?>[] {TxLogMapper.class}, (proxy, method, args) -> {
          Object result = method.invoke(txLog, args);
          if (method.getName().equals("insert")) {
            Thread.sleep(timeout.toMillis() + 300);
          }
          return result;
        });
    LocalOrderTransaction slow = new LocalOrderTransaction(transactionManager, orderMapper, slowTxLog,
        FaultPoints.off(), properties);
    Order late = Order.newPending(1, 1);
    assertThatThrownBy(() -> slow.record(late)).as("certainly rolled back: not CommitOutcomeUnknownException")
        .isInstanceOf(org.springframework.transaction.TransactionTimedOutException.class);
    assertThat(LocalOrderTransaction.timedOut(new RuntimeException(new
        org.springframework.transaction.TransactionTimedOutException("x")))).isTrue();
    assertThat(count("SELECT COUNT(*) FROM orders WHERE order_no = '" + late.orderNo() + "'")).isZero();
    assertThat(count("SELECT COUNT(*) FROM tx_log WHERE tx_no = '" + late.txNo() + "'")).isZero();
    // In time, the same transaction commits.
    Order inTime = Order.newPending(1, 1);
    localTransaction.record(inTime);
    assertThat(count("SELECT COUNT(*) FROM orders WHERE order_no = '" + inTime.orderNo() + "'")).isEqualTo(1);
  }

  @Test
  void whileTheDatabaseIsDownARequestIsAnswered5xxWithAProblemNeverAnEmpty2xx() throws Exception {
    assertThat(post("{\"productId\":1,\"count\":1}").getStatusCode()).isEqualTo(HttpStatus.CREATED); // product known
    BED.db().kill();
    try {
      for (String key : new String[] {null, "down-1", "down-1"}) {
        ResponseEntity<String> answer = http.postForEntity("/orders", new HttpEntity<>("{\"productId\":1,\"count\":1}",
            jsonHeaders(key)), String.class);
        assertThat(answer.getStatusCode().is5xxServerError()).as("key %s: %s", key, answer).isTrue();
        assertThat(answer.getBody()).as("key %s", key).isNotBlank().contains("\"status\":5");
        assertThat(answer.getHeaders().getFirst("X-Request-Id")).isNotBlank();
        assertThat(answer.getHeaders().getFirst("X-Served-By")).startsWith("sample-order@");
      }
    } finally {
      BED.db().restart();
      ((com.zaxxer.hikari.HikariDataSource) dataSource).getHikariPoolMXBean().softEvictConnections();
      await().atMost(Duration.ofSeconds(30)).until(() -> http.getForEntity("/actuator/health/readiness", String.class)
          .getStatusCode().is2xxSuccessful());
    }
    assertThat(count("SELECT COUNT(*) FROM orders WHERE idempotency_key = 'down-1'")).isZero();
  }

  @Test
  void anOutcomeRolledBackByCheckBackIsPolledAsSuchAndARetryPlacesTheOrder() throws Exception {
    faults.arm(LocalOrderTransaction.AT_COMMIT, FaultPoints.Action.THROW, 1);
    ResponseEntity<Map> accepted = post("{\"productId\":1,\"count\":4}", "unknown-1");
    assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
    String txNo = (String) accepted.getBody().get("txNo");
    assertThat(accepted.getHeaders().getLocation()).hasToString("/orders/transactions/" + txNo);
    await().atMost(Duration.ofSeconds(30)).until(() -> "ROLLED_BACK".equals(
        http.getForEntity("/orders/transactions/" + txNo, Map.class).getBody().get("state")));
    assertThat(http.getForEntity("/orders/transactions/" + txNo, Map.class).getBody()).doesNotContainKey("order");

    ResponseEntity<Map> retry = post("{\"productId\":1,\"count\":4}", "unknown-1");
    assertThat(retry.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    assertThat(retry.getBody().get("txNo")).isNotEqualTo(txNo);
    assertThat(count("SELECT COUNT(*) FROM orders")).isEqualTo(1);
  }

  @Test
  void aCommittedOutcomeIsPolledWithItsOrder() throws Exception {
    faults.arm(OrderTransactionListener.AFTER_COMMIT, FaultPoints.Action.THROW, 1);
    ResponseEntity<Map> accepted = post("{\"productId\":1,\"count\":3}", "unknown-2");
    assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
    Map status = http.getForEntity(accepted.getHeaders().getLocation().toString(), Map.class).getBody();
    assertThat(status).containsEntry("state", "COMMITTED");
    assertThat((Map) status.get("order")).containsEntry("orderNo", accepted.getBody().get("orderNo"));
    assertThat(http.getForEntity("/orders/transactions/TX-never-sent", Map.class).getBody())
        .containsEntry("state", "UNKNOWN");
  }

  @Test
  void theLocalTransactionCommitsOnItsOwnEvenInsideACallersTransaction() throws Exception {
    // The broker is told COMMIT right after record() returns: the rows must be committed by then, not left to an
    // enclosing transaction that may still roll back.
    Order order = Order.newPending(1, 1);
    String visible = "SELECT COUNT(*) FROM orders WHERE order_no = '" + order.orderNo() + "'";
    long[] seenInside = new long[1];
    new TransactionTemplate(transactionManager).executeWithoutResult(caller -> {
      localTransaction.record(order);
      try {
        seenInside[0] = count(visible);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      caller.setRollbackOnly();
    });
    assertThat(seenInside[0]).as("committed before the caller's transaction ended").isEqualTo(1);
    assertThat(count(visible)).as("still there after the caller rolled back").isEqualTo(1);
  }

  @Test
  void badInputIsRefusedWithAProblemNamingTheField() throws Exception {
    assertBadRequest("{\"productId\":1,\"count\":0}", "count");
    assertBadRequest("{\"productId\":1,\"count\":-5}", "count");
    assertBadRequest("{\"count\":1}", "productId");
    assertBadRequest("{\"productId\":1}", "count");
    assertBadRequest("{\"productId\":1,\"count\":\"two\"}", "count");
    assertBadRequest("{\"productId\":1,\"count\":\"2\"}", "count");
    assertBadRequest("{\"productId\":1,\"count\":2.5}", "count");
    assertBadRequest("{\"productId\":1,\"count\":1,\"price\":3}", "price");
    assertBadRequest("{\"productId\":1,\"count\":100000}", "count");
    assertBadRequest("{\"productId\":1,", "malformed JSON");
    assertBadRequest("{\"productId\":1,\"count\":1,\"count\":9}", "field 'count' is given more than once");
    assertBadRequest("{\"productId\":1,\"count\":1}{\"productId\":1,\"count\":9}", "trailing content");
    assertBadRequest("", "missing");

    ResponseEntity<Map> unknownProduct = post("{\"productId\":999,\"count\":1}");
    assertThat(unknownProduct.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat((String) unknownProduct.getBody().get("detail")).contains("product 999");

    ResponseEntity<Map> huge = post("{\"productId\":1,\"count\":1,\"pad\":\"" + "x".repeat(100_000) + "\"}");
    assertThat(huge.getStatusCode()).isEqualTo(HttpStatus.PAYLOAD_TOO_LARGE);

    assertThat(getOrder("no-such-order").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(count("SELECT COUNT(*) FROM orders")).isZero();
  }

  private void assertBadRequest(String body, String mentioned) {
    ResponseEntity<Map> response = post(body);
    assertThat(response.getStatusCode()).as(body).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat((String) response.getBody().get("detail")).as(body).contains(mentioned);
  }

  private ResponseEntity<Map> post(String json) {
    return post(json, null);
  }

  private ResponseEntity<Map> post(String json, String idempotencyKey) {
    return http.postForEntity("/orders", new HttpEntity<>(json, jsonHeaders(idempotencyKey)), Map.class);
  }

  private static HttpHeaders jsonHeaders(String idempotencyKey) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    if (idempotencyKey != null) {
      headers.set("Idempotency-Key", idempotencyKey);
    }
    return headers;
  }

  @Test
  void readinessIncludesTheRoutesOfBothTopics() {
    ResponseEntity<Map> health = http.getForEntity("/actuator/health/readiness", Map.class);
    assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(health.getBody().toString()).contains("rocketMq").contains(Testbed.TOPIC).contains(Testbed.RESULT_TOPIC)
        .contains("db");
  }

  private ResponseEntity<Map> getOrder(String orderNo) {
    return http.getForEntity("/orders/" + orderNo, Map.class);
  }

  private static void sendOutcome(StockOutcome outcome) throws Exception {
    outcomeSender.send(new Message(Testbed.RESULT_TOPIC, "t", outcome.txNo(), MessageCodec.encode(outcome)));
  }

  private static String query(String sql) throws Exception {
    try (Connection c = BED.db().rootConnection(Testbed.ORDERS_DB); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static long count(String sql) throws Exception {
    return Long.parseLong(query(sql));
  }
}
