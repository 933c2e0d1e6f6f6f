package io.reliabletx.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.mysql.Credentials;
import io.reliabletx.testing.mariadb.EmbeddedMariaDb;
import io.reliabletx.testing.rocketmq.EmbeddedRocketMq;
import io.reliabletx.testing.testbed.Testbed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.remoting.RPCHook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The pipeline with RocketMQ's ACL on, as the operator renders it: the broker requires a signature and applies each
 * user's policies; the services sign in with their own users (from the credentials Secret) and orders flow end to end.
 * Clients without a user, with a wrong password or outside their policies are refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AclEndToEndTest {
  Testbed bed;
  ServicePair services;

  @BeforeAll
  void start() {
    ReliableTxPipeline pipeline = Testbed.defaultPipeline();
    pipeline.getSpec().getAcl().setEnabled(true);
    bed = Testbed.start(pipeline, EmbeddedMariaDb.Options.defaults(), EmbeddedRocketMq.Settings.forTests());
    services = ServicePair.start(bed, Map.of());
  }

  @AfterAll
  void stop() {
    if (services != null) {
      services.close();
    }
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void theServicesSignInAndOrdersAreConfirmedOrCancelled() throws Exception {
    assertThat(bed.orderServiceEnvironment()).containsEntry("ROCKETMQ_ACCESS_KEY", "orders");
    assertThat(bed.stockServiceEnvironment()).containsEntry("ROCKETMQ_ACCESS_KEY", "stock");
    bed.putProduct(7, "seven", 5);
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 8; i++) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(services.orderServiceUrl() + "/orders"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"productId\":7,\"count\":1}", StandardCharsets.UTF_8))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
    }
    // 8 orders of 1 for 5 in stock: 5 deducted (the stock service consumed the order topic as its user), 3
    // cancelled (its outcome reached the order service through the result topic).
    Map<String, Integer> byStatus = Map.of();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      byStatus = ordersByStatus();
      if (byStatus.getOrDefault("PENDING", 0) == 0 && byStatus.values().stream().mapToInt(Integer::intValue).sum() == 8) {
        break;
      }
      Thread.sleep(200);
    }
    assertThat(byStatus).isEqualTo(Map.of("CONFIRMED", 5, "CANCELLED", 3));
  }

  @Test
  void aClientWithoutAUserOrWithAWrongPasswordIsRefused() {
    String topic = bed.pipeline().getSpec().getOrder().getResultTopic();
    assertThatThrownBy(() -> send(null, topic)).rootCause().hasMessageContaining("username cannot be null");
    RPCHook wrong = new AclClientRPCHook(new SessionCredentials(bed.credential(Credentials.ROCKETMQ_STOCK_USERNAME),
        "not-the-password"));
    assertThatThrownBy(() -> send(wrong, topic)).rootCause().hasMessageContaining("check signature failed");
  }

  @Test
  void eachServiceMayPublishOnlyToItsOwnTopic() throws Exception {
    RPCHook stock = user(Credentials.ROCKETMQ_STOCK_USERNAME, Credentials.ROCKETMQ_STOCK_PASSWORD);
    RPCHook orders = user(Credentials.ROCKETMQ_ORDERS_USERNAME, Credentials.ROCKETMQ_ORDERS_PASSWORD);
    String orderTopic = bed.pipeline().getSpec().getOrder().getTopic();
    String resultTopic = bed.pipeline().getSpec().getOrder().getResultTopic();
    // The control: the stock service's user publishes outcomes.
    assertThat(send(stock, resultTopic).getSendStatus()).isEqualTo(SendStatus.SEND_OK);
    // Neither may publish to the other's topic (a forged order, a forged outcome).
    assertThatThrownBy(() -> send(stock, orderTopic)).rootCause()
        .hasMessageContaining("User:stock has no permission to access Topic:" + orderTopic);
    assertThatThrownBy(() -> send(orders, resultTopic)).rootCause()
        .hasMessageContaining("User:orders has no permission to access Topic:" + resultTopic);
  }

  private RPCHook user(String usernameKey, String passwordKey) {
    return new AclClientRPCHook(new SessionCredentials(bed.credential(usernameKey), bed.credential(passwordKey)));
  }

  private SendResult send(RPCHook hook, String topic) throws Exception {
    DefaultMQProducer producer = new DefaultMQProducer("acl-test-" + System.nanoTime(), hook);
    producer.setNamesrvAddr(bed.mq().nameServerAddress());
    producer.setInstanceName("acl-test@" + System.nanoTime());
    producer.setRetryTimesWhenSendFailed(0);
    producer.setSendMsgTimeout(5000);
    producer.start();
    try {
      return producer.send(new Message(topic, "probe".getBytes(StandardCharsets.UTF_8)));
    } finally {
      producer.shutdown();
    }
  }

  private Map<String, Integer> ordersByStatus() throws Exception {
    Map<String, Integer> counts = new TreeMap<>();
    try (Connection c = bed.db().rootConnection(Testbed.ORDERS_DB); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT status, COUNT(*) FROM orders GROUP BY status")) {
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getInt(2));
      }
    }
    return counts;
  }
}
