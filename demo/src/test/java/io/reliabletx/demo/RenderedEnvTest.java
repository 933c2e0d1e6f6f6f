package io.reliabletx.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.reliabletx.operator.Pipelines;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.spec.TransactionCheckSpec;
import io.reliabletx.operator.pipeline.wiring.CheckBackRollback;
import io.reliabletx.operator.pipeline.wiring.ServiceEnv;
import io.reliabletx.sample.common.ReliableTxProperties;
import io.reliabletx.sample.common.rocketmq.RocketMqProperties;
import io.reliabletx.testing.mariadb.EmbeddedMariaDb;
import io.reliabletx.testing.rocketmq.EmbeddedRocketMq;
import io.reliabletx.testing.testbed.Testbed;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;

/**
 * The services run with exactly the environment the operator renders, for a pipeline whose topics and groups are not
 * the services' defaults (examples/custom.yaml): a variable the services do not bind would leave them on a default.
 */
class RenderedEnvTest {
  static final ReliableTxPipeline CUSTOM = singleBroker(Pipelines.example("custom.yaml", "shop"));

  /**
   * The testbed runs one broker: custom.yaml's group (a SYNC_MASTER with a slave) is run as its master alone, whose
   * sends would otherwise wait for a slave it does not have. The services' environment does not depend on it.
   */
  static ReliableTxPipeline singleBroker(ReliableTxPipeline pipeline) {
    pipeline.getSpec().getBroker().setReplicas(1);
    return pipeline;
  }

  /** What the services bind from an environment, by Spring Boot's own binder and relaxed rule. */
  static List<Object> bound(Map<String, String> env) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
    ServicePair.withEnvironment(environment.getPropertySources(), env);
    ConfigurationPropertySources.attach(environment);
    Binder binder = Binder.get(environment);
    return List.of(
        binder.bindOrCreate("reliabletx", ReliableTxProperties.class),
        binder.bindOrCreate("rocketmq", RocketMqProperties.class),
        binder.bind("spring.datasource", Map.class).orElse(Map.of()));
  }

  static Map<String, String> asMap(List<EnvVar> env) {
    Map<String, String> map = new LinkedHashMap<>();
    env.forEach(e -> map.put(e.getName(), e.getValue() != null ? e.getValue() : "from-secret-" + e.getName()));
    return map;
  }

  @ParameterizedTest
  @ValueSource(strings = {"order", "stock"})
  void everyVariableTheOperatorRendersBindsAPropertyOfTheServices(String service) {
    PipelineNames names = new PipelineNames(CUSTOM);
    Map<String, String> env = asMap(service.equals("order")
        ? ServiceEnv.order(CUSTOM.getSpec(), names) : ServiceEnv.stock(CUSTOM.getSpec(), names));
    List<Object> all = bound(env);
    for (String name : env.keySet()) {
      Map<String, String> without = new LinkedHashMap<>(env);
      without.remove(name);
      assertThat(bound(without)).as("%s (rendered for the %s service) binds no property of the services", name, service)
          .isNotEqualTo(all);
    }
    ReliableTxProperties tx = (ReliableTxProperties) all.get(0);
    assertThat(tx.topic()).isEqualTo("shop-orders");
    assertThat(tx.resultTopic()).isEqualTo("shop-order-results");
    if (service.equals("order")) {
      assertThat(tx.producerGroup()).isEqualTo("shop-order-producer");
      assertThat(tx.resultConsumerGroup()).isEqualTo("shop-order-result-consumer");
    } else {
      assertThat(tx.consumerGroup()).isEqualTo("shop-stock-consumer");
      assertThat(tx.resultProducerGroup()).isEqualTo("shop-stock-result-producer");
    }
  }

  /** The shortest rollback deadline the operator renders is one the order service accepts, and only just. */
  @Test
  void theShortestRenderedRollbackDeadlineIsTheServicesMinimum() {
    ReliableTxPipeline fast = Pipelines.example("custom.yaml", "shop");
    TransactionCheckSpec tx = fast.getSpec().getTransaction();
    tx.setCheckIntervalMillis(100);
    tx.setTimeoutMillis(100);
    tx.setOpBatchIntervalMillis(50);
    Map<String, String> env = asMap(ServiceEnv.order(fast.getSpec(), new PipelineNames(fast)));
    assertThat(env).containsEntry(ServiceEnv.CHECK_BACK_ROLLBACK_AFTER,
        CheckBackRollback.asProperty(CheckBackRollback.MINIMUM));
    Map<String, String> shorter = new LinkedHashMap<>(env);
    shorter.put(ServiceEnv.CHECK_BACK_ROLLBACK_AFTER,
        CheckBackRollback.asProperty(CheckBackRollback.MINIMUM.minusMillis(1)));
    try (ValidatorFactory validation = Validation.buildDefaultValidatorFactory()) {
      assertThat(validation.getValidator().validate(bound(env).get(0))).isEmpty();
      assertThat(validation.getValidator().validate(bound(shorter).get(0))).extracting(v -> v.getPropertyPath().toString())
          .containsExactly("checkBackRollbackAfter");
    }
  }

  @Test
  void anOrderIsConfirmedThroughServicesWiredByTheRenderedEnvironment() throws Exception {
    try (Testbed bed = Testbed.start(CUSTOM, EmbeddedMariaDb.Options.defaults(), EmbeddedRocketMq.Settings.forTests());
         ServicePair services = ServicePair.start(bed, Map.of("logging.level.root", "WARN"))) {
      bed.putProduct(7, "lamp", 5);
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> placed = http.send(HttpRequest.newBuilder(URI.create(services.orderServiceUrl() + "/orders"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
              "{\"productId\":7,\"count\":2}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(placed.statusCode()).as(placed.body()).isIn(201, 202);
      Matcher orderNo = Pattern.compile("\"orderNo\":\"([^\"]+)\"").matcher(placed.body());
      assertThat(orderNo.find()).isTrue();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      String status = "";
      while (!status.contains("\"status\":\"CONFIRMED\"") && System.nanoTime() < deadline) {
        Thread.sleep(200);
        status = http.send(HttpRequest.newBuilder(URI.create(services.orderServiceUrl() + "/orders/" + orderNo.group(1)))
            .build(), HttpResponse.BodyHandlers.ofString()).body();
      }
      assertThat(status).contains("\"status\":\"CONFIRMED\"");
    }
  }
}
