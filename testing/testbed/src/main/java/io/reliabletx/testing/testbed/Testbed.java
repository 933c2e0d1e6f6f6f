package io.reliabletx.testing.testbed;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.acl.RocketMqAcl;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.brokerconf.BrokerConfig;
import io.reliabletx.operator.pipeline.mysql.Credentials;
import io.reliabletx.operator.pipeline.spec.OrderServiceSpec;
import io.reliabletx.operator.pipeline.spec.ReliableTxPipelineSpec;
import io.reliabletx.operator.pipeline.spec.TransactionCheckSpec;
import io.reliabletx.operator.pipeline.wiring.ServiceEnv;
import io.reliabletx.testing.mariadb.EmbeddedMariaDb;
import io.reliabletx.testing.rocketmq.EmbeddedRocketMq;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import java.util.Map;

/**
 * A MariaDB with {@code tx-msg-orders} and {@code tx-msg-stock} (each with its own user and random password, and
 * the project's one schema) and a RocketMQ with the orders and result topics: the data plane as the operator
 * builds it for a {@link ReliableTxPipeline}, on this machine. What the operator renders comes from pipeline-model and
 * nothing is typed again here: the broker starts from the pipeline's {@link BrokerConfig} (only
 * {@link EmbeddedRocketMq#LOCAL_KEYS} replaced), the services' environment is {@link ServiceEnv}'s with the
 * in-cluster addresses replaced by local ones ({@link #orderServiceEnvironment()}), and the database users and
 * passwords are a {@link Credentials} Secret's.
 */
public final class Testbed implements AutoCloseable {

  public static final String ORDERS_DB = PipelineNames.ORDERS_DATABASE;
  public static final String STOCK_DB = PipelineNames.STOCK_DATABASE;
  /** The topics of a pipeline that names none (the default pipeline's). */
  public static final String TOPIC = new OrderServiceSpec().getTopic();
  public static final String RESULT_TOPIC = new OrderServiceSpec().getResultTopic();

  private final EmbeddedMariaDb db;
  private final EmbeddedRocketMq mq;
  private final String nameServer;
  private final ReliableTxPipeline pipeline;
  /** The credentials Secret's data, as the operator generates it. */
  private final Map<String, String> credentials;

  private Testbed(EmbeddedMariaDb db, EmbeddedRocketMq mq, String nameServer, ReliableTxPipeline pipeline,
                  Map<String, String> credentials) {
    this.credentials = credentials;
    this.db = db;
    this.mq = mq;
    this.nameServer = nameServer;
    this.pipeline = pipeline;
  }

  public static Testbed start() {
    return start(EmbeddedMariaDb.Options.defaults(), EmbeddedRocketMq.Settings.forTests());
  }

  public static Testbed start(EmbeddedMariaDb.Options dbOptions, EmbeddedRocketMq.Settings mqSettings) {
    return start(defaultPipeline(), dbOptions, mqSettings);
  }

  /**
   * The data plane of {@code pipeline}. Its transaction settings are the broker's as rendered; {@code mqSettings}
   * gives ports and the store only (its check-back settings are ignored: set them in the spec).
   */
  public static Testbed start(ReliableTxPipeline pipeline, EmbeddedMariaDb.Options dbOptions,
                              EmbeddedRocketMq.Settings mqSettings) {
    if (pipeline.getSpec().getBroker().getReplicas() > 1) {
      // A group's master would wait for slaves (inSyncReplicas) that are not here, or run without them unnoticed.
      throw new IllegalArgumentException("the testbed runs one broker, not a group of "
          + pipeline.getSpec().getBroker().getReplicas() + ": set broker.replicas to 1");
    }
    BrokerConfig brokerConfig = BrokerConfig.of(pipeline.getSpec(), new PipelineNames(pipeline));
    Map<String, String> credentials = Credentials.generate();
    EmbeddedMariaDb db = EmbeddedMariaDb.start(dbOptions);
    EmbeddedRocketMq mq;
    try {
      // The services' tests run this broker in their own JVM, whose OpenTelemetry is Spring Boot's version, not the
      // one RocketMQ's Prometheus exporter was built on (NoClassDefFoundError at start): the exporter stays off here
      // and is proven on its own (BrokerMetricsTest).
      Map<String, String> entries = new java.util.LinkedHashMap<>(brokerConfig.entries());
      entries.put("metricsExporterType", "DISABLE");
      if (RocketMqAcl.enabled(pipeline.getSpec())) {
        // What the broker pod's start script appends from the credentials Secret.
        entries.putAll(RocketMqAcl.superUserEntries(credentials.get(Credentials.ROCKETMQ_ADMIN_USERNAME),
            credentials.get(Credentials.ROCKETMQ_ADMIN_PASSWORD)));
      }
      mq = EmbeddedRocketMq.start(mqSettings.withBrokerConf(entries));
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    Testbed bed = new Testbed(db, mq, mq.nameServerAddress(), pipeline, credentials);
    bed.createDatabases();
    bed.createTopics();
    if (RocketMqAcl.enabled(pipeline.getSpec())) {
      bed.createRocketMqUsers();
    }
    return bed;
  }

  /**
   * The pipeline of a spec left at its defaults, but with the fast check-back of {@link EmbeddedRocketMq.Settings#forTests()}:
   * tests wait seconds, not minutes, for a silent half message.
   */
  public static ReliableTxPipeline defaultPipeline() {
    ReliableTxPipeline p = new ReliableTxPipeline();
    p.setMetadata(new ObjectMetaBuilder().withName("testbed").withNamespace("local").build());
    p.setSpec(new ReliableTxPipelineSpec());
    EmbeddedRocketMq.Settings fast = EmbeddedRocketMq.Settings.forTests();
    TransactionCheckSpec tx = p.getSpec().getTransaction();
    tx.setCheckIntervalMillis(fast.transactionCheckIntervalMs());
    tx.setTimeoutMillis(fast.transactionTimeOutMs());
    tx.setOpBatchIntervalMillis(fast.transactionOpBatchIntervalMs());
    tx.setCheckMax(fast.transactionCheckMax());
    p.getSpec().getBroker().setFlushDiskType(io.reliabletx.operator.pipeline.spec.FlushDiskType.ASYNC_FLUSH);
    // Tests' own clients (recorders, the fault suite's broker process) do not sign in; AclEndToEndTest turns it on.
    p.getSpec().getAcl().setEnabled(false);
    return p;
  }

  /**
   * The databases only, for a broker that runs elsewhere (its own process in the fault suite): the services are
   * pointed at {@code nameServer}, whose owner creates the topics ({@link #TOPIC}, {@link #RESULT_TOPIC}).
   */
  public static Testbed startWithExternalBroker(EmbeddedMariaDb.Options dbOptions, String nameServer) {
    Testbed bed = new Testbed(EmbeddedMariaDb.start(dbOptions), null, nameServer, defaultPipeline(),
        Credentials.generate());
    bed.createDatabases();
    return bed;
  }

  public ReliableTxPipeline pipeline() {
    return pipeline;
  }

  public EmbeddedMariaDb db() {
    return db;
  }

  /** The in-process broker; {@code null} when it runs elsewhere ({@link #startWithExternalBroker}). */
  public EmbeddedRocketMq mq() {
    return mq;
  }

  /** The passwords of the services' database users: what must never appear in a log. */
  public List<String> secrets() {
    return List.of(credentials.get(Credentials.ORDERS_PASSWORD), credentials.get(Credentials.STOCK_PASSWORD),
        credentials.get(Credentials.ROCKETMQ_ORDERS_PASSWORD), credentials.get(Credentials.ROCKETMQ_STOCK_PASSWORD),
        credentials.get(Credentials.ROCKETMQ_ADMIN_PASSWORD));
  }

  /**
   * What the topics Job does with the ACL on: each service's RocketMQ user and its policies, by RocketMQ's admin API
   * signed by the super user ({@link RocketMqAcl#users}: the same grants the Job is given).
   */
  private void createRocketMqUsers() {
    DefaultMQAdminExt admin = new DefaultMQAdminExt(new AclClientRPCHook(new SessionCredentials(
        credentials.get(Credentials.ROCKETMQ_ADMIN_USERNAME), credentials.get(Credentials.ROCKETMQ_ADMIN_PASSWORD))));
    admin.setNamesrvAddr(nameServer);
    admin.setInstanceName("testbed-acl@" + System.nanoTime());
    try {
      admin.start();
      for (RocketMqAcl.User user : RocketMqAcl.users(pipeline.getSpec())) {
        String name = credentials.get(user.usernameKey());
        admin.createUser(mq.brokerAddress(), name, credentials.get(user.passwordKey()), null);
        admin.createAcl(mq.brokerAddress(), "User:" + name, user.publishes(),
            List.of(RocketMqAcl.PUBLISH_ACTIONS.split(",")), null, "Allow");
        admin.createAcl(mq.brokerAddress(), "User:" + name, user.subscribes(),
            List.of(RocketMqAcl.SUBSCRIBE_ACTIONS.split(",")), null, "Allow");
      }
    } catch (Exception e) {
      throw new IllegalStateException("creating the services' RocketMQ users failed", e);
    } finally {
      admin.shutdown();
    }
  }

  /** A Secret key's value ({@link Credentials}): e.g. a RocketMQ user's password, for a client of a test's own. */
  public String credential(String key) {
    return credentials.get(key);
  }

  /** (Re)creates both topics of the pipeline: after a broker restart on a fresh store, or to be sure. */
  public void createTopics() {
    mq.createTransactionalTopic(pipeline.getSpec().getOrder().getTopic());
    mq.createTopic(pipeline.getSpec().getOrder().getResultTopic());
  }

  /** The order service's environment as the operator renders it ({@link ServiceEnv#order}), pointed at this machine. */
  public Map<String, String> orderServiceEnvironment() {
    return local(ServiceEnv.order(pipeline.getSpec(), new PipelineNames(pipeline)), ORDERS_DB);
  }

  public Map<String, String> stockServiceEnvironment() {
    return local(ServiceEnv.stock(pipeline.getSpec(), new PipelineNames(pipeline)), STOCK_DB);
  }

  /**
   * The environment as Spring properties, for clients that take properties. Each property named here is looked up in
   * the environment by Spring Boot's rule for environment variables (upper case, '.' and '-' become '_').
   */
  public Map<String, Object> orderServiceProperties() {
    return properties(orderServiceEnvironment());
  }

  public Map<String, Object> stockServiceProperties() {
    return properties(stockServiceEnvironment());
  }

  private static final List<String> PROPERTIES = List.of("rocketmq.name-server", "rocketmq.access-key",
      "rocketmq.secret-key", "reliabletx.topic",
      "reliabletx.result-topic", "reliabletx.producer-group", "reliabletx.result-consumer-group",
      "reliabletx.consumer-group", "reliabletx.check-back-rollback-after", "reliabletx.local-transaction-timeout",
      "spring.datasource.url",
      "spring.datasource.username", "spring.datasource.password");

  private static Map<String, Object> properties(Map<String, String> env) {
    Map<String, Object> p = new LinkedHashMap<>();
    for (String property : PROPERTIES) {
      String value = env.get(environmentName(property));
      if (value != null) {
        p.put(property, value);
      }
    }
    return p;
  }

  /** Spring Boot's environment-variable form of a property name (SystemEnvironmentPropertyMapper, legacy form). */
  public static String environmentName(String property) {
    return property.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The same properties as environment variables, for a service run as its own process. */
  public static Map<String, String> asEnvironment(Map<String, Object> properties) {
    Map<String, String> env = new LinkedHashMap<>();
    properties.forEach((k, v) -> env.put(environmentName(k), String.valueOf(v)));
    return env;
  }

  /** Replaces what names the cluster (the name server and database addresses) and resolves the Secret's keys. */
  private Map<String, String> local(List<EnvVar> rendered, String database) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : rendered) {
      String value = var.getValueFrom() != null
          ? credentials.get(var.getValueFrom().getSecretKeyRef().getKey()) : var.getValue();
      env.put(var.getName(), switch (var.getName()) {
        case ServiceEnv.NAME_SERVER -> nameServer;
        case ServiceEnv.DATASOURCE_URL -> db.jdbcUrl(database);
        default -> value;
      });
    }
    return env;
  }

  /** Adds a product to the catalog and its stock (or resets both). */
  public void putProduct(long productId, String name, int stock) {
    try (Connection c = db.rootConnection(ORDERS_DB);
         PreparedStatement s = c.prepareStatement("REPLACE INTO product (id, name) VALUES (?, ?)")) {
      s.setLong(1, productId);
      s.setString(2, name);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    try (Connection c = db.rootConnection(STOCK_DB); PreparedStatement s = c.prepareStatement(
        "INSERT INTO stock (product_id, total_count) VALUES (?, ?) ON DUPLICATE KEY UPDATE total_count = VALUES(total_count)")) {
      s.setLong(1, productId);
      s.setInt(2, stock);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Empties every table of both databases (between tests). */
  public void truncateAll() {
    db.execute(ORDERS_DB, List.of("DELETE FROM orders", "DELETE FROM tx_log", "DELETE FROM product"));
    db.execute(STOCK_DB, List.of("DELETE FROM stock", "DELETE FROM tx_log"));
  }

  @Override
  public void close() {
    try {
      if (mq != null) {
        mq.close();
      }
    } finally {
      db.close();
    }
  }

  private void createDatabases() {
    db.createDatabase(ORDERS_DB, credentials.get(Credentials.ORDERS_USERNAME), credentials.get(Credentials.ORDERS_PASSWORD));
    db.createDatabase(STOCK_DB, credentials.get(Credentials.STOCK_USERNAME), credentials.get(Credentials.STOCK_PASSWORD));
    db.runScript(ORDERS_DB, schema("db/orders/schema.sql"));
    db.runScript(STOCK_DB, schema("db/stock/schema.sql"));
  }

  /** Reads one of the project's schema files from the classpath (module reliable-tx-schema). */
  public static String schema(String resource) {
    try (InputStream in = Testbed.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " not on the classpath (module reliable-tx-schema)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
