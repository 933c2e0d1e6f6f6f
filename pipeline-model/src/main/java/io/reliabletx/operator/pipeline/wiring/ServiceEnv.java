package io.reliabletx.operator.pipeline.wiring;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.acl.RocketMqAcl;
import io.reliabletx.operator.pipeline.mysql.Credentials;
import io.reliabletx.operator.pipeline.spec.OrderServiceSpec;
import io.reliabletx.operator.pipeline.spec.ReliableTxPipelineSpec;
import java.util.ArrayList;
import java.util.List;

/** The env-var contract of DESIGN.md: how the order and stock services are wired to the broker and their database. */
public final class ServiceEnv {
  public static final String NAME_SERVER = "ROCKETMQ_NAME_SERVER";
  public static final String TOPIC = "RELIABLETX_TOPIC";
  public static final String RESULT_TOPIC = "RELIABLETX_RESULT_TOPIC";
  public static final String PRODUCER_GROUP = "RELIABLETX_PRODUCER_GROUP";
  public static final String RESULT_CONSUMER_GROUP = "RELIABLETX_RESULT_CONSUMER_GROUP";
  public static final String CONSUMER_GROUP = "RELIABLETX_CONSUMER_GROUP";
  public static final String RESULT_PRODUCER_GROUP = "RELIABLETX_RESULT_PRODUCER_GROUP";
  public static final String CHECK_BACK_ROLLBACK_AFTER = "RELIABLETX_CHECK_BACK_ROLLBACK_AFTER";
  /** The order service's local transaction (order + tx_log) rolls back past it: below the rollback deadline. */
  public static final String LOCAL_TRANSACTION_TIMEOUT = "RELIABLETX_LOCAL_TRANSACTION_TIMEOUT";
  public static final String DATASOURCE_URL = "SPRING_DATASOURCE_URL";
  public static final String DATASOURCE_USERNAME = "SPRING_DATASOURCE_USERNAME";
  public static final String DATASOURCE_PASSWORD = "SPRING_DATASOURCE_PASSWORD";
  /** The service's RocketMQ user (ACL), from the credentials Secret; absent when the ACL is off. */
  public static final String ROCKETMQ_ACCESS_KEY = "ROCKETMQ_ACCESS_KEY";
  public static final String ROCKETMQ_SECRET_KEY = "ROCKETMQ_SECRET_KEY";
  /** The console's RocketMQ user (the dashboard's rocketmq.config.accessKey/secretKey): the super user. */
  public static final String CONSOLE_ACCESS_KEY = "ROCKETMQ_CONFIG_ACCESSKEY";
  public static final String CONSOLE_SECRET_KEY = "ROCKETMQ_CONFIG_SECRETKEY";

  private ServiceEnv() {}

  public static String credentialsSecret(ReliableTxPipelineSpec spec, PipelineNames names) {
    return Credentials.generated(spec.getMysql()) ? names.credentials() : spec.getMysql().getExistingSecret();
  }

  public static List<EnvVar> order(ReliableTxPipelineSpec spec, PipelineNames names) {
    OrderServiceSpec order = spec.getOrder();
    List<EnvVar> env = common(spec, names);
    env.add(plain(PRODUCER_GROUP, order.getProducerGroup()));
    env.add(plain(RESULT_CONSUMER_GROUP, order.getResultConsumerGroup()));
    env.add(plain(CHECK_BACK_ROLLBACK_AFTER, CheckBackRollback.asProperty(CheckBackRollback.after(spec.getTransaction()))));
    env.add(plain(LOCAL_TRANSACTION_TIMEOUT,
        CheckBackRollback.asProperty(CheckBackRollback.localTransactionTimeout(spec.getTransaction()))));
    env.addAll(datasource(spec, names, PipelineNames.ORDERS_DATABASE, Credentials.ORDERS_USERNAME,
        Credentials.ORDERS_PASSWORD));
    env.addAll(rocketMqUser(spec, names, RocketMqAcl.orders(spec)));
    return env;
  }

  public static List<EnvVar> stock(ReliableTxPipelineSpec spec, PipelineNames names) {
    List<EnvVar> env = common(spec, names);
    env.add(plain(CONSUMER_GROUP, spec.getStock().getConsumerGroup()));
    env.add(plain(RESULT_PRODUCER_GROUP, spec.getStock().getResultProducerGroup()));
    env.addAll(datasource(spec, names, PipelineNames.STOCK_DATABASE, Credentials.STOCK_USERNAME,
        Credentials.STOCK_PASSWORD));
    env.addAll(rocketMqUser(spec, names, RocketMqAcl.stock(spec)));
    return env;
  }

  private static List<EnvVar> rocketMqUser(ReliableTxPipelineSpec spec, PipelineNames names, RocketMqAcl.User user) {
    if (!RocketMqAcl.enabled(spec)) {
      return List.of();
    }
    String secret = credentialsSecret(spec, names);
    return List.of(fromSecret(ROCKETMQ_ACCESS_KEY, secret, user.usernameKey()),
        fromSecret(ROCKETMQ_SECRET_KEY, secret, user.passwordKey()));
  }

  /**
   * The broker's super user, for the admin program (the topics Job signs in as it; the broker's init container writes
   * it into the broker's private config, and mqadmin's tools.yml under the admin home); none with the ACL off.
   */
  public static List<EnvVar> rocketMqAdmin(ReliableTxPipelineSpec spec, PipelineNames names) {
    if (!RocketMqAcl.enabled(spec)) {
      return List.of();
    }
    String secret = credentialsSecret(spec, names);
    List<EnvVar> env = new ArrayList<>(List.of(
        fromSecret(RocketMqAcl.ADMIN_USERNAME_ENV, secret, Credentials.ROCKETMQ_ADMIN_USERNAME),
        fromSecret(RocketMqAcl.ADMIN_PASSWORD_ENV, secret, Credentials.ROCKETMQ_ADMIN_PASSWORD)));
    env.addAll(rocketMqAdminHome(spec));
    return env;
  }

  /** Where mqadmin finds its tools.yml in a broker pod ({@code -Drocketmq.home.dir}); none with the ACL off. */
  public static List<EnvVar> rocketMqAdminHome(ReliableTxPipelineSpec spec) {
    return RocketMqAcl.enabled(spec) ? List.of(plain(RocketMqAcl.ADMIN_HOME_ENV, RocketMqAcl.ADMIN_HOME)) : List.of();
  }

  /** The console signs in to the broker as the super user: it is the administrator's tool. */
  public static List<EnvVar> consoleRocketMqUser(ReliableTxPipelineSpec spec, PipelineNames names) {
    if (!RocketMqAcl.enabled(spec)) {
      return List.of();
    }
    String secret = credentialsSecret(spec, names);
    return List.of(fromSecret(CONSOLE_ACCESS_KEY, secret, Credentials.ROCKETMQ_ADMIN_USERNAME),
        fromSecret(CONSOLE_SECRET_KEY, secret, Credentials.ROCKETMQ_ADMIN_PASSWORD));
  }

  private static List<EnvVar> common(ReliableTxPipelineSpec spec, PipelineNames names) {
    List<EnvVar> env = new ArrayList<>();
    env.add(plain(NAME_SERVER, names.nameServerDomain()));
    env.add(plain(TOPIC, spec.getOrder().getTopic()));
    env.add(plain(RESULT_TOPIC, spec.getOrder().getResultTopic()));
    return env;
  }

  private static List<EnvVar> datasource(ReliableTxPipelineSpec spec, PipelineNames names, String database,
      String userKey, String passwordKey) {
    String secret = credentialsSecret(spec, names);
    return List.of(plain(DATASOURCE_URL, names.jdbcUrl(database)),
        fromSecret(DATASOURCE_USERNAME, secret, userKey),
        fromSecret(DATASOURCE_PASSWORD, secret, passwordKey));
  }

  public static EnvVar plain(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  public static EnvVar fromSecret(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name)
        .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef().endValueFrom()
        .build();
  }
}
