package io.reliabletx.operator.pipeline.acl;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.reliabletx.operator.pipeline.mysql.Credentials;
import io.reliabletx.operator.pipeline.spec.ReliableTxPipelineSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RocketMQ's ACL 2.0 as a pipeline uses it. The broker requires every client to sign in (authentication) and allows
 * each user only what its policies grant (authorization). The broker's super user comes from the credentials Secret
 * at start ({@link #superUserEntries}, never in the broker.conf ConfigMap); the topics Job creates the services' users
 * and their policies on every broker of the group ({@link #users}).
 */
public final class RocketMqAcl {
  /** The super user's name and password, from the credentials Secret: the broker's and the topics Job's env. */
  public static final String ADMIN_USERNAME_ENV = "ROCKETMQ_ADMIN_USERNAME";
  public static final String ADMIN_PASSWORD_ENV = "ROCKETMQ_ADMIN_PASSWORD";
  /**
   * mqadmin signs in with {@code <rocketmq home>/conf/tools.yml}: in a broker pod the init container writes it under
   * this private directory, and mqadmin runs with {@code -Drocketmq.home.dir=$ROCKETMQ_ADMIN_HOME} (the image's own
   * home is read-only).
   */
  public static final String ADMIN_HOME_ENV = "ROCKETMQ_ADMIN_HOME";
  public static final String ADMIN_HOME = "/tmp/rocketmq-admin";

  /** What a user may do with the resources it publishes to, and with those it consumes. */
  public static final String PUBLISH_ACTIONS = "Pub";
  public static final String SUBSCRIBE_ACTIONS = "Sub,Get,Update";

  /**
   * A service's RocketMQ user: its name and password keys in the credentials Secret, the topics it publishes to and
   * the topics and consumer groups it consumes (ACL resources, {@code Topic:name} or {@code Group:name}).
   */
  public record User(String usernameKey, String passwordKey, List<String> publishes, List<String> subscribes) {}

  private RocketMqAcl() {}

  public static boolean enabled(ReliableTxPipelineSpec spec) {
    return spec.getAcl().isEnabled();
  }

  /** broker.conf's keys that turn authentication and authorization on, with RocketMQ's own local providers. */
  public static Map<String, String> brokerEntries() {
    Map<String, String> e = new LinkedHashMap<>();
    e.put("authenticationEnabled", "true");
    e.put("authenticationProvider",
        "org.apache.rocketmq.auth.authentication.provider.DefaultAuthenticationProvider");
    e.put("authenticationMetadataProvider",
        "org.apache.rocketmq.auth.authentication.provider.LocalAuthenticationMetadataProvider");
    e.put("authorizationEnabled", "true");
    e.put("authorizationProvider",
        "org.apache.rocketmq.auth.authorization.provider.DefaultAuthorizationProvider");
    e.put("authorizationMetadataProvider",
        "org.apache.rocketmq.auth.authorization.provider.LocalAuthorizationMetadataProvider");
    return e;
  }

  /**
   * The broker's super user and the credentials its own clients (a slave's sync from its master) sign in with: what
   * the broker pod's init container adds to its private broker.conf from the Secret. The values are JSON, written by
   * Jackson, so any name or password (a user's own Secret) stays a string.
   */
  public static Map<String, String> superUserEntries(String username, String password) {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put("initAuthenticationUser", json("username", username, "password", password));
    entries.put("innerClientAuthenticationCredentials", json("accessKey", username, "secretKey", password));
    return entries;
  }

  private static String json(String nameKey, String name, String secretKey, String secret) {
    Map<String, String> object = new LinkedHashMap<>();
    object.put(nameKey, name);
    object.put(secretKey, secret);
    return Serialization.asJson(object);
  }

  /** The order service publishes the order topic and consumes the result topic in its group; the stock service the reverse. */
  public static User orders(ReliableTxPipelineSpec spec) {
    return new User(Credentials.ROCKETMQ_ORDERS_USERNAME, Credentials.ROCKETMQ_ORDERS_PASSWORD,
        List.of(topic(spec.getOrder().getTopic())),
        List.of(topic(spec.getOrder().getResultTopic()), group(spec.getOrder().getResultConsumerGroup())));
  }

  public static User stock(ReliableTxPipelineSpec spec) {
    return new User(Credentials.ROCKETMQ_STOCK_USERNAME, Credentials.ROCKETMQ_STOCK_PASSWORD,
        List.of(topic(spec.getOrder().getResultTopic())),
        List.of(topic(spec.getOrder().getTopic()), group(spec.getStock().getConsumerGroup())));
  }

  public static List<User> users(ReliableTxPipelineSpec spec) {
    return List.of(orders(spec), stock(spec));
  }

  static String topic(String name) {
    return "Topic:" + name;
  }

  static String group(String name) {
    return "Group:" + name;
  }
}
