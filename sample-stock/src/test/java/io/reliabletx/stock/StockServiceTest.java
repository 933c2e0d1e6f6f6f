package io.reliabletx.stock;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.reliabletx.messages.MessageCodec;
import io.reliabletx.messages.OrderPlaced;
import io.reliabletx.messages.StockOutcome;
import io.reliabletx.testing.testbed.SharedTestbed;
import io.reliabletx.testing.testbed.Testbed;
import io.reliabletx.testing.testbed.TopicRecorder;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The stock service on a real MariaDB and a real broker. Order messages are sent as plain messages on the
 * (transactional) topic by the test, exactly as the broker delivers committed ones, so redeliveries, duplicates
 * and garbage can be produced at will.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.config.name=" + StockApplication.CONFIG_NAME)
@AutoConfigureObservability // Boot tests switch metric export off unless asked
class StockServiceTest {

  static final Testbed BED = SharedTestbed.get();
  static TopicRecorder outcomes;
  static DefaultMQProducer orderSender;

  @Autowired TestRestTemplate http;
  @Autowired MeterRegistry meters;

  @DynamicPropertySource
  static void wire(DynamicPropertyRegistry registry) {
    BED.stockServiceProperties().forEach((k, v) -> registry.add(k, () -> v));
  }

  @BeforeAll
  static void witnesses() throws Exception {
    outcomes = new TopicRecorder(BED.mq().nameServerAddress(), Testbed.RESULT_TOPIC);
    orderSender = new DefaultMQProducer("test-order-sender");
    orderSender.setNamesrvAddr(BED.mq().nameServerAddress());
    orderSender.setInstanceName("test-order-sender");
    orderSender.start();
  }

  @AfterAll
  static void closeWitnesses() {
    outcomes.close();
    orderSender.shutdown();
  }

  @BeforeEach
  void products() {
    BED.truncateAll();
  }

  @Test
  void deductsOnceAndPublishesTheOutcomeEvenWhenTheMessageIsDeliveredTwice() throws Exception {
    BED.putProduct(11, "mug", 10);
    OrderPlaced order = order(11, 3);
    double duplicatesBefore = meters.counter("reliabletx.duplicates.skipped").count();
    send(order);
    send(order); // the same message again, as a redelivery after a lost acknowledgement would bring it

    await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.withKey(order.txNo()).size() == 2);
    assertThat(outcomes.withKey(order.txNo())).allSatisfy(d -> assertThat(
        MessageCodec.decode(d.body().getBytes(UTF_8), StockOutcome.class))
        .isEqualTo(new StockOutcome(order.txNo(), order.orderNo(), StockOutcome.Outcome.DEDUCTED, null)));
    assertThat(stockOf(11)).isEqualTo(7);
    assertThat(query("SELECT COUNT(*) FROM tx_log WHERE tx_no = '" + order.txNo() + "'")).isEqualTo("1");
    assertThat(meters.counter("reliabletx.duplicates.skipped").count()).isEqualTo(duplicatesBefore + 1);
  }

  @Test
  void shortStockIsRejectedWithoutTouchingStockAndTheRejectionIsPublished() throws Exception {
    BED.putProduct(12, "shirt", 2);
    OrderPlaced tooMany = order(12, 3);
    OrderPlaced unknown = order(404, 1);
    send(tooMany);
    send(unknown);
    assertThat(outcomes.await(d -> tooMany.txNo().equals(d.key()), Duration.ofSeconds(30))).isTrue();
    assertThat(outcomes.await(d -> unknown.txNo().equals(d.key()), Duration.ofSeconds(30))).isTrue();
    assertThat(outcomeOf(tooMany)).isEqualTo(new StockOutcome(tooMany.txNo(), tooMany.orderNo(),
        StockOutcome.Outcome.REJECTED, StockOutcome.INSUFFICIENT_STOCK));
    assertThat(outcomeOf(unknown).reason()).isEqualTo(StockOutcome.UNKNOWN_PRODUCT);
    assertThat(stockOf(12)).isEqualTo(2);
  }

  @Test
  void concurrentOrdersOnOneProductNeverOversell() throws Exception {
    BED.putProduct(13, "sticker", 50);
    List<OrderPlaced> orders = java.util.stream.IntStream.range(0, 120).mapToObj(i -> order(13, 1)).toList();
    for (OrderPlaced o : orders) {
      send(o);
    }
    await().atMost(Duration.ofSeconds(60))
        .until(() -> orders.stream().allMatch(o -> !outcomes.withKey(o.txNo()).isEmpty()));
    long deducted = orders.stream().filter(o -> outcomeOf(o).outcome() == StockOutcome.Outcome.DEDUCTED).count();
    assertThat(deducted).isEqualTo(50);
    assertThat(stockOf(13)).isZero();
    assertThat(query("SELECT COALESCE(SUM(pay_count), 0) FROM tx_log WHERE product_id = 13 AND outcome = 'DEDUCTED'"))
        .isEqualTo("50");
  }

  @Test
  void ordersArrivingTogetherAreAppliedInOneTransactionEachExactlyOnce() throws Exception {
    BED.putProduct(16, "cap", 10);
    BED.putProduct(17, "bag", 1);
    OrderPlaced appliedBefore = order(16, 1);
    send(appliedBefore);
    assertThat(outcomes.await(d -> appliedBefore.txNo().equals(d.key()), Duration.ofSeconds(30))).isTrue();
    double duplicatesBefore = meters.counter("reliabletx.duplicates.skipped").count();

    List<OrderPlaced> fresh = List.of(order(16, 2), order(17, 1), order(16, 3), order(17, 1));
    List<OrderPlaced> batch = new ArrayList<>(fresh);
    batch.add(appliedBefore); // a redelivery among new orders
    batch.add(fresh.get(0)); // and a repeat inside the batch
    // One batch send: stored together, so the consumer takes them together.
    orderSender.send(batch.stream().map(o -> new Message(Testbed.TOPIC, "OrderPlaced", o.txNo(),
        MessageCodec.encode(o))).toList());

    await().atMost(Duration.ofSeconds(30)).until(() -> fresh.stream().allMatch(o -> !outcomes.withKey(o.txNo()).isEmpty())
        && meters.counter("reliabletx.duplicates.skipped").count() >= duplicatesBefore + 2);
    assertThat(stockOf(16)).isEqualTo(10 - 1 - 2 - 3);
    assertThat(stockOf(17)).isZero(); // one of the two orders for the last bag is rejected
    assertThat(fresh.stream().filter(o -> outcomeOf(o).outcome() == StockOutcome.Outcome.REJECTED).toList())
        .singleElement().satisfies(o -> assertThat(o.productId()).isEqualTo(17));
    assertThat(query("SELECT COUNT(*) FROM tx_log WHERE product_id IN (16, 17)")).isEqualTo("5");
    assertThat(meters.counter("reliabletx.duplicates.skipped").count()).isEqualTo(duplicatesBefore + 2);
    assertThat(meters.get("reliabletx.messages.batch.size").tag("topic", Testbed.TOPIC).summary().max())
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void aBatchOfNewOrdersIsOneMultiRowInsertAndTheStockIsExact() throws Exception {
    BED.putProduct(18, "hat", 1000);
    List<OrderPlaced> burst = java.util.stream.IntStream.range(0, 200).mapToObj(i -> order(18, 1 + i % 3)).toList();
    for (int from = 0; from < burst.size(); from += 50) {
      List<OrderPlaced> part = burst.subList(from, from + 50);
      orderSender.send(part.stream().map(o -> new Message(Testbed.TOPIC, "OrderPlaced", o.txNo(),
          MessageCodec.encode(o))).toList());
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> burst.stream().allMatch(o -> !outcomes.withKey(o.txNo()).isEmpty()));
    int total = burst.stream().mapToInt(OrderPlaced::count).sum();
    assertThat(stockOf(18)).isEqualTo(1000 - total);
    assertThat(query("SELECT COUNT(*) FROM tx_log WHERE product_id = 18 AND outcome = 'DEDUCTED'")).isEqualTo("200");
  }

  @Test
  void inABatchTheOrdersThatCannotBeDeductedAreRejectedAndTheOthersApply() throws Exception {
    BED.putProduct(20, "belt", 5);
    BED.putProduct(21, "sock", 100);
    // Whatever order they are applied in, the belts' stock takes 2 + 2 + 1 and one of the orders for 2 is short.
    List<OrderPlaced> belts = List.of(order(20, 2), order(20, 2), order(20, 2), order(20, 1));
    List<OrderPlaced> socks = List.of(order(21, 1), order(21, 1));
    OrderPlaced unknown = order(405, 1);
    List<OrderPlaced> batch = List.of(belts.get(0), socks.get(0), belts.get(1), unknown, belts.get(2), socks.get(1),
        belts.get(3));
    // One batch send: stored together, so the consumer takes them together (one transaction, one multi-row insert).
    orderSender.send(batch.stream().map(o -> new Message(Testbed.TOPIC, "OrderPlaced", o.txNo(),
        MessageCodec.encode(o))).toList());

    await().atMost(Duration.ofSeconds(30)).until(() -> batch.stream().allMatch(o -> !outcomes.withKey(o.txNo()).isEmpty()));
    assertThat(stockOf(20)).isZero();
    assertThat(belts.stream().filter(o -> outcomeOf(o).outcome() == StockOutcome.Outcome.REJECTED).toList())
        .singleElement().satisfies(o -> {
          assertThat(o.count()).isEqualTo(2);
          assertThat(outcomeOf(o).reason()).isEqualTo(StockOutcome.INSUFFICIENT_STOCK);
        });
    assertThat(socks).allSatisfy(o -> assertThat(outcomeOf(o).outcome()).isEqualTo(StockOutcome.Outcome.DEDUCTED));
    assertThat(stockOf(21)).isEqualTo(98);
    assertThat(outcomeOf(unknown).reason()).isEqualTo(StockOutcome.UNKNOWN_PRODUCT);
    for (OrderPlaced o : batch) { // the ledger says what was published
      assertThat(query("SELECT outcome FROM tx_log WHERE tx_no = '" + o.txNo() + "'"))
          .isEqualTo(outcomeOf(o).outcome().name());
    }
  }

  @Test
  void malformedAndForeignMessagesGoToTheDeadLetterQueueAndConsumingGoesOn() throws Exception {
    BED.putProduct(14, "pen", 5);
    double deadBefore = meters.counter("reliabletx.messages.dead.lettered", "topic", Testbed.TOPIC).count();
    orderSender.send(new Message(Testbed.TOPIC, "x", "garbage-1", "not json at all".getBytes(UTF_8)));
    orderSender.send(new Message(Testbed.TOPIC, "x", "garbage-2",
        "{\"txNo\":\"t\",\"orderNo\":\"o\",\"productId\":14,\"count\":-3}".getBytes(UTF_8)));
    OrderPlaced good = order(14, 1);
    send(good);
    assertThat(outcomes.await(d -> good.txNo().equals(d.key()), Duration.ofSeconds(30))).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() ->
        meters.counter("reliabletx.messages.dead.lettered", "topic", Testbed.TOPIC).count() >= deadBefore + 2);
    assertThat(stockOf(14)).isEqualTo(4);
  }

  @Test
  void aMalformedMessageInABatchGoesToTheDeadLetterQueueAndTheRestOfTheBatchApplies() throws Exception {
    BED.putProduct(19, "scarf", 5);
    double deadBefore = meters.counter("reliabletx.messages.dead.lettered", "topic", Testbed.TOPIC).count();
    double retriedBefore = meters.counter("reliabletx.messages.retried", "topic", Testbed.TOPIC).count();
    OrderPlaced first = order(19, 1);
    OrderPlaced second = order(19, 2);
    orderSender.send(List.of(
        new Message(Testbed.TOPIC, "OrderPlaced", first.txNo(), MessageCodec.encode(first)),
        new Message(Testbed.TOPIC, "x", "garbage-in-batch", "{not json".getBytes(UTF_8)),
        new Message(Testbed.TOPIC, "OrderPlaced", second.txNo(), MessageCodec.encode(second))));
    assertThat(outcomes.await(d -> first.txNo().equals(d.key()), Duration.ofSeconds(30))).isTrue();
    assertThat(outcomes.await(d -> second.txNo().equals(d.key()), Duration.ofSeconds(30))).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() ->
        meters.counter("reliabletx.messages.dead.lettered", "topic", Testbed.TOPIC).count() == deadBefore + 1);
    assertThat(stockOf(19)).isEqualTo(2);
    assertThat(meters.counter("reliabletx.messages.retried", "topic", Testbed.TOPIC).count()).isEqualTo(retriedBefore);
  }

  @Test
  void stockApiAnswersAndRefusesBadIds() {
    BED.putProduct(15, "cup", 9);
    ResponseEntity<Map> ok = http.getForEntity("/stock/15", Map.class);
    assertThat(ok.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(ok.getBody()).containsEntry("productId", 15).containsEntry("totalCount", 9);
    assertThat(http.getForEntity("/stock/999", Map.class).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    ResponseEntity<Map> bad = http.getForEntity("/stock/abc", Map.class);
    assertThat(bad.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat((String) bad.getBody().get("detail")).contains("productId");
  }

  @Test
  void healthReportsDatabaseAndBrokerRoutes() {
    ResponseEntity<Map> health = http.getForEntity("/actuator/health/readiness", Map.class);
    assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(health.getBody().toString()).contains("rocketMq").contains(Testbed.TOPIC).contains("db");
    String metrics = http.getForObject("/actuator/prometheus", String.class);
    assertThat(metrics).contains("reliabletx_");
  }

  private static OrderPlaced order(long productId, int count) {
    return new OrderPlaced("TX-" + UUID.randomUUID(), "O-" + UUID.randomUUID(), productId, count);
  }

  private static void send(OrderPlaced order) throws Exception {
    orderSender.send(new Message(Testbed.TOPIC, "OrderPlaced", order.txNo(), MessageCodec.encode(order)));
  }

  private static StockOutcome outcomeOf(OrderPlaced order) {
    return MessageCodec.decode(outcomes.withKey(order.txNo()).get(0).body().getBytes(UTF_8), StockOutcome.class);
  }

  private static int stockOf(long productId) throws Exception {
    return Integer.parseInt(query("SELECT total_count FROM stock WHERE product_id = " + productId));
  }

  private static String query(String sql) throws Exception {
    try (Connection c = BED.db().rootConnection(Testbed.STOCK_DB); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
