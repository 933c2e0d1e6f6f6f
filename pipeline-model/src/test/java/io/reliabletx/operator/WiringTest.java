package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.Broker;
import io.reliabletx.operator.pipeline.children.Console;
import io.reliabletx.operator.pipeline.children.OrderService;
import io.reliabletx.operator.pipeline.children.StockService;
import io.reliabletx.operator.pipeline.children.TopicsJob;
import io.reliabletx.operator.pipeline.mysql.Credentials;
import io.reliabletx.operator.pipeline.mysql.MysqlInit;
import io.reliabletx.operator.pipeline.wiring.ServiceEnv;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The env-var contract with the samples, the defaults of a one-line CR and the MySQL init scripts. */
class WiringTest {
  static Map<String, String> plain(List<EnvVar> env) {
    return env.stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  static Map<String, String> secretRefs(List<EnvVar> env) {
    return env.stream().filter(e -> e.getValueFrom() != null).collect(Collectors.toMap(EnvVar::getName,
        e -> e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey()));
  }

  @Test
  void orderServiceDefaults() {
    ReliableTxPipeline p = Pipelines.example("minimal.yaml", "shop");
    List<EnvVar> env = ServiceEnv.order(p.getSpec(), new PipelineNames(p));
    assertThat(plain(env)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "ROCKETMQ_NAME_SERVER", "minimal-namesrv.shop.svc:9876",
        "RELIABLETX_TOPIC", "reliabletx-orders",
        "RELIABLETX_RESULT_TOPIC", "reliabletx-order-results",
        "RELIABLETX_PRODUCER_GROUP", "reliabletx-order-producer",
        "RELIABLETX_RESULT_CONSUMER_GROUP", "reliabletx-order-result-consumer",
        "RELIABLETX_CHECK_BACK_ROLLBACK_AFTER", "66s",
        "RELIABLETX_LOCAL_TRANSACTION_TIMEOUT", "6s",
        "SPRING_DATASOURCE_URL", "jdbc:mysql://minimal-mysql.shop.svc:3306/tx-msg-orders"));
    assertThat(secretRefs(env)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "SPRING_DATASOURCE_USERNAME", "minimal-credentials/orders-username",
        "SPRING_DATASOURCE_PASSWORD", "minimal-credentials/orders-password",
        "ROCKETMQ_ACCESS_KEY", "minimal-credentials/rocketmq-orders-username",
        "ROCKETMQ_SECRET_KEY", "minimal-credentials/rocketmq-orders-password"));
  }

  @Test
  void stockServiceFromTheCustomExampleWithAnExistingSecret() {
    ReliableTxPipeline p = Pipelines.example("custom.yaml", "shop");
    p.getSpec().getMysql().setExistingSecret("my-db");
    List<EnvVar> env = ServiceEnv.stock(p.getSpec(), new PipelineNames(p));
    assertThat(plain(env)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "ROCKETMQ_NAME_SERVER", "custom-namesrv.shop.svc:9876",
        "RELIABLETX_TOPIC", "shop-orders",
        "RELIABLETX_RESULT_TOPIC", "shop-order-results",
        "RELIABLETX_CONSUMER_GROUP", "shop-stock-consumer",
        "RELIABLETX_RESULT_PRODUCER_GROUP", "shop-stock-result-producer",
        "SPRING_DATASOURCE_URL", "jdbc:mysql://custom-mysql.shop.svc:3306/tx-msg-stock"));
    assertThat(secretRefs(env)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "SPRING_DATASOURCE_USERNAME", "my-db/stock-username",
        "SPRING_DATASOURCE_PASSWORD", "my-db/stock-password",
        "ROCKETMQ_ACCESS_KEY", "my-db/rocketmq-stock-username",
        "ROCKETMQ_SECRET_KEY", "my-db/rocketmq-stock-password"));
  }

  @Test
  void changingTheNumberOfNameServersRollsNoServiceConsoleOrJob() {
    ReliableTxPipeline one = Pipelines.defaults("minimal", "shop");
    ReliableTxPipeline three = Pipelines.defaults("minimal", "shop");
    three.getSpec().getNameServer().setReplicas(3);
    assertThat(OrderService.deployment(three).getSpec().getTemplate())
        .isEqualTo(OrderService.deployment(one).getSpec().getTemplate());
    assertThat(StockService.deployment(three).getSpec().getTemplate())
        .isEqualTo(StockService.deployment(one).getSpec().getTemplate());
    assertThat(Console.deployment(three).getSpec().getTemplate())
        .isEqualTo(Console.deployment(one).getSpec().getTemplate());
    assertThat(TopicsJob.name(three)).isEqualTo(TopicsJob.name(one));
    assertThat(Broker.statefulSet(three).getSpec().getTemplate())
        .isEqualTo(Broker.statefulSet(one).getSpec().getTemplate());
  }

  @Test
  void withTheAclOffTheServicesGetNoRocketMqUser() {
    ReliableTxPipeline p = Pipelines.defaults("minimal", "shop");
    p.getSpec().getAcl().setEnabled(false);
    PipelineNames names = new PipelineNames(p);
    assertThat(ServiceEnv.order(p.getSpec(), names)).extracting(EnvVar::getName)
        .doesNotContain("ROCKETMQ_ACCESS_KEY", "ROCKETMQ_SECRET_KEY");
    assertThat(ServiceEnv.stock(p.getSpec(), names)).extracting(EnvVar::getName)
        .doesNotContain("ROCKETMQ_ACCESS_KEY", "ROCKETMQ_SECRET_KEY");
  }

  @Test
  void initSqlIsBuiltFromTheSchemaJarWithoutPasswords() {
    Map<String, String> files = MysqlInit.files();
    String sql = files.get(MysqlInit.SCHEMA_FILE);
    assertThat(sql).contains("CREATE DATABASE IF NOT EXISTS `tx-msg-orders` DEFAULT CHARACTER SET utf8mb4")
        .contains("CREATE DATABASE IF NOT EXISTS `tx-msg-stock` DEFAULT CHARACTER SET utf8mb4")
        .contains("USE `tx-msg-orders`;").contains("CREATE TABLE IF NOT EXISTS orders")
        .contains("CREATE TABLE IF NOT EXISTS stock").contains("INSERT IGNORE INTO stock");
    assertThat(sql.indexOf("USE `tx-msg-stock`")).isLessThan(sql.indexOf("CREATE TABLE IF NOT EXISTS stock"));
    String users = files.get(MysqlInit.USERS_FILE);
    // The user names and passwords come from the env at run time, as data (MysqlInitAgainstMariaDbTest runs it).
    assertThat(users).contains("reliabletx_hex MYSQL_ORDERS_USERNAME", "reliabletx_hex MYSQL_ORDERS_PASSWORD",
            "reliabletx_hex MYSQL_STOCK_USERNAME", "reliabletx_hex MYSQL_STOCK_PASSWORD")
        .doesNotContain("${MYSQL_").doesNotContain("<<EOSQL")
        .contains("'GRANT ALL PRIVILEGES ON `tx-msg-orders`.* TO ', QUOTE(@orders_user)")
        .contains("'GRANT ALL PRIVILEGES ON `tx-msg-stock`.* TO ', QUOTE(@stock_user)")
        .doesNotContain("*.* TO");
  }

  @Test
  void generatedCredentialsAreRandomAndPlain() {
    Map<String, String> a = Credentials.generate();
    Map<String, String> b = Credentials.generate();
    assertThat(a.get(Credentials.ROOT_PASSWORD)).matches("[A-Za-z0-9]{24}").isNotEqualTo(b.get(Credentials.ROOT_PASSWORD));
    assertThat(a).containsEntry(Credentials.ORDERS_USERNAME, "orders").containsEntry(Credentials.STOCK_USERNAME, "stock");
  }
}
