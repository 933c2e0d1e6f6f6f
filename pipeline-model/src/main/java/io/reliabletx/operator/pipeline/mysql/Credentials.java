package io.reliabletx.operator.pipeline.mysql;

import io.reliabletx.operator.pipeline.spec.MysqlSpec;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/** Keys of the credentials Secret and the generation of its random values. */
public final class Credentials {
  public static final String ROOT_PASSWORD = "root-password";
  public static final String ORDERS_USERNAME = "orders-username";
  public static final String ORDERS_PASSWORD = "orders-password";
  public static final String STOCK_USERNAME = "stock-username";
  public static final String STOCK_PASSWORD = "stock-password";
  public static final String CONSOLE_PASSWORD = "console-password";
  /** RocketMQ's users (ACL): the broker's super user (the topics Job and the console sign in as it) and one each. */
  public static final String ROCKETMQ_ADMIN_USERNAME = "rocketmq-admin-username";
  public static final String ROCKETMQ_ADMIN_PASSWORD = "rocketmq-admin-password";
  public static final String ROCKETMQ_ORDERS_USERNAME = "rocketmq-orders-username";
  public static final String ROCKETMQ_ORDERS_PASSWORD = "rocketmq-orders-password";
  public static final String ROCKETMQ_STOCK_USERNAME = "rocketmq-stock-username";
  public static final String ROCKETMQ_STOCK_PASSWORD = "rocketmq-stock-password";

  public static final String ORDERS_USER = "orders";
  public static final String STOCK_USER = "stock";
  public static final String ROCKETMQ_ADMIN_USER = "rocketmq-admin";

  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Credentials() {}

  /** The operator generates the Secret unless the spec names an existing one. */
  public static boolean generated(MysqlSpec mysql) {
    return mysql.getExistingSecret() == null || mysql.getExistingSecret().isBlank();
  }

  /** Fresh values; letters and digits only, so they need no quoting in SQL, shell or properties files. */
  public static Map<String, String> generate() {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(ROOT_PASSWORD, randomPassword());
    data.put(ORDERS_USERNAME, ORDERS_USER);
    data.put(ORDERS_PASSWORD, randomPassword());
    data.put(STOCK_USERNAME, STOCK_USER);
    data.put(STOCK_PASSWORD, randomPassword());
    data.put(CONSOLE_PASSWORD, randomPassword());
    data.put(ROCKETMQ_ADMIN_USERNAME, ROCKETMQ_ADMIN_USER);
    data.put(ROCKETMQ_ADMIN_PASSWORD, randomPassword());
    data.put(ROCKETMQ_ORDERS_USERNAME, ORDERS_USER);
    data.put(ROCKETMQ_ORDERS_PASSWORD, randomPassword());
    data.put(ROCKETMQ_STOCK_USERNAME, STOCK_USER);
    data.put(ROCKETMQ_STOCK_PASSWORD, randomPassword());
    return data;
  }

  static String randomPassword() {
    StringBuilder sb = new StringBuilder(24);
    for (int i = 0; i < 24; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
