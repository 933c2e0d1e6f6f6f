package io.reliabletx.testing.testbed;

import io.reliabletx.testing.mariadb.EmbeddedMariaDb;
import io.reliabletx.testing.rocketmq.EmbeddedRocketMq;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A MariaDB with {@code tx-msg-orders} and {@code tx-msg-stock} (each with its own user and random password, and
 * the project's one schema) and a RocketMQ with the orders and result topics: the data plane as the operator
 * builds it, on this machine. {@link #orderServiceProperties()} and {@link #stockServiceProperties()} are the
 * DESIGN.md env-var contract as Spring properties.
 */
public final class Testbed implements AutoCloseable {

  public static final String ORDERS_DB = "tx-msg-orders";
  public static final String STOCK_DB = "tx-msg-stock";
  public static final String TOPIC = "reliabletx-orders";
  public static final String RESULT_TOPIC = "reliabletx-order-results";

  private final EmbeddedMariaDb db;
  private final EmbeddedRocketMq mq;
  private final String nameServer;
  private final String ordersPassword = randomPassword();
  private final String stockPassword = randomPassword();

  private Testbed(EmbeddedMariaDb db, EmbeddedRocketMq mq, String nameServer) {
    this.db = db;
    this.mq = mq;
    this.nameServer = nameServer;
  }

  public static Testbed start() {
    return start(EmbeddedMariaDb.Options.defaults(), EmbeddedRocketMq.Settings.forTests());
  }

  public static Testbed start(EmbeddedMariaDb.Options dbOptions, EmbeddedRocketMq.Settings mqSettings) {
    EmbeddedMariaDb db = EmbeddedMariaDb.start(dbOptions);
    EmbeddedRocketMq mq;
    try {
      mq = EmbeddedRocketMq.start(mqSettings);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    Testbed bed = new Testbed(db, mq, mq.nameServerAddress());
    bed.createDatabases();
    bed.createTopics();
    return bed;
  }

  /**
   * The databases only, for a broker that runs elsewhere (its own process in the fault suite): the services are
   * pointed at {@code nameServer}, whose owner creates the topics ({@link #TOPIC}, {@link #RESULT_TOPIC}).
   */
  public static Testbed startWithExternalBroker(EmbeddedMariaDb.Options dbOptions, String nameServer) {
    Testbed bed = new Testbed(EmbeddedMariaDb.start(dbOptions), null, nameServer);
    bed.createDatabases();
    return bed;
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
    return List.of(ordersPassword, stockPassword);
  }

  /** (Re)creates both topics: after a broker restart on a fresh store, or to be sure. */
  public void createTopics() {
    mq.createTransactionalTopic(TOPIC);
    mq.createTopic(RESULT_TOPIC);
  }

  public Map<String, Object> orderServiceProperties() {
    return serviceProperties(ORDERS_DB, "orders_svc", ordersPassword);
  }

  public Map<String, Object> stockServiceProperties() {
    return serviceProperties(STOCK_DB, "stock_svc", stockPassword);
  }

  /** The same properties as environment variables, for a service run as its own process. */
  public static Map<String, String> asEnvironment(Map<String, Object> properties) {
    Map<String, String> env = new LinkedHashMap<>();
    properties.forEach((k, v) -> env.put(k.toUpperCase().replace('.', '_').replace('-', '_'), String.valueOf(v)));
    return env;
  }

  private Map<String, Object> serviceProperties(String database, String user, String password) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("rocketmq.name-server", nameServer);
    p.put("reliabletx.topic", TOPIC);
    p.put("reliabletx.result-topic", RESULT_TOPIC);
    p.put("spring.datasource.url", db.jdbcUrl(database));
    p.put("spring.datasource.username", user);
    p.put("spring.datasource.password", password);
    return p;
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
    db.createDatabase(ORDERS_DB, "orders_svc", ordersPassword);
    db.createDatabase(STOCK_DB, "stock_svc", stockPassword);
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

  private static String randomPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
