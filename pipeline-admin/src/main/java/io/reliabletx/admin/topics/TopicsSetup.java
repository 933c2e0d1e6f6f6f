package io.reliabletx.admin.topics;

import io.reliabletx.admin.AdminFailure;
import io.reliabletx.operator.pipeline.acl.RocketMqAcl;
import io.reliabletx.operator.pipeline.children.TopicsJob;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * The topics Job: the transactional topic and the result topic on every master of the cluster, each confirmed by its
 * route on the name server; with the ACL on, each service's user (created, or given the Secret's password when it
 * exists) and its policies on every broker of the group. Idempotent, so a rerun (a restarted pod, a new Job after a
 * change) converges. What is not there yet (the name server, the broker, its registration) is waited for up to
 * {@link TopicsJob#WAIT_SECONDS_ENV}; what a broker refuses (a wrong super user password) fails at once.
 */
public final class TopicsSetup {
  /** mqadmin updateTopic's defaults, which the pipeline's topics have always had. */
  static final int QUEUES = 8;
  static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
  private static final Duration RETRY_EVERY = Duration.ofSeconds(2);

  /** A service's RocketMQ user and the resources its policies name ({@code Topic:x}, {@code Group:y}). */
  record ServiceUser(String username, String password, List<String> publishes, List<String> subscribes) {}

  record SuperUser(String username, String password) {}

  private final String nameServer;
  private final String cluster;
  private final String topic;
  private final String resultTopic;
  private final Optional<SuperUser> superUser;
  private final List<String> brokerAddresses;
  private final List<ServiceUser> users;
  private final Duration wait;

  private TopicsSetup(Map<String, String> env) {
    nameServer = required(env, TopicsJob.NAMESRV_ADDR_ENV);
    cluster = required(env, TopicsJob.CLUSTER_ENV);
    topic = required(env, TopicsJob.TOPIC_ENV);
    resultTopic = required(env, TopicsJob.RESULT_TOPIC_ENV);
    String password = env.getOrDefault(RocketMqAcl.ADMIN_PASSWORD_ENV, "");
    superUser = password.isEmpty() ? Optional.empty()
        : Optional.of(new SuperUser(required(env, RocketMqAcl.ADMIN_USERNAME_ENV), password));
    brokerAddresses = superUser.isEmpty() ? List.of() : split(required(env, TopicsJob.BROKER_ADDRESSES_ENV), " ");
    users = superUser.isEmpty() ? List.of()
        : List.of(user(env, TopicsJob.ORDERS_USER_PREFIX), user(env, TopicsJob.STOCK_USER_PREFIX));
    String seconds = env.get(TopicsJob.WAIT_SECONDS_ENV);
    try {
      wait = seconds == null || seconds.isBlank() ? DEFAULT_WAIT : Duration.ofSeconds(Long.parseLong(seconds.strip()));
    } catch (NumberFormatException e) {
      throw new AdminFailure(TopicsJob.WAIT_SECONDS_ENV + " must be a number of seconds, not '" + seconds + "'");
    }
  }

  public static TopicsSetup fromEnv(Map<String, String> env) {
    return new TopicsSetup(env);
  }

  private static ServiceUser user(Map<String, String> env, String prefix) {
    return new ServiceUser(required(env, prefix + TopicsJob.USERNAME_SUFFIX), required(env, prefix + TopicsJob.PASSWORD_SUFFIX),
        split(required(env, prefix + TopicsJob.PUBLISHES_SUFFIX), ","),
        split(required(env, prefix + TopicsJob.SUBSCRIBES_SUFFIX), ","));
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isEmpty()) {
      throw new AdminFailure(name + " is not set: the topics Job's pod gets it from the operator");
    }
    return value;
  }

  private static List<String> split(String list, String separator) {
    return Arrays.stream(list.split(separator)).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  public void run(PrintStream out) {
    DefaultMQAdminExt admin = superUser
        .map(u -> new DefaultMQAdminExt(new AclClientRPCHook(new SessionCredentials(u.username(), u.password()))))
        .orElseGet(DefaultMQAdminExt::new);
    admin.setNamesrvAddr(nameServer);
    admin.setInstanceName("pipeline-admin-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    admin.setVipChannelEnabled(false);
    try {
      admin.start();
      long deadline = System.nanoTime() + wait.toNanos();
      Set<String> masters = waitFor(out, deadline, "a master of cluster " + cluster + " on the name server " + nameServer,
          () -> {
            Set<String> found = masters(admin.examineBrokerClusterInfo(), cluster);
            return found.isEmpty() ? null : found;
          });
      ensureTopic(admin, out, deadline, masters, topic, "TRANSACTION");
      ensureTopic(admin, out, deadline, masters, resultTopic, "NORMAL");
      for (String address : brokerAddresses) {
        for (ServiceUser user : users) {
          ensureUser(admin, out, deadline, address, user);
          grant(admin, out, deadline, address, user.username(), user.publishes(), RocketMqAcl.PUBLISH_ACTIONS);
          grant(admin, out, deadline, address, user.username(), user.subscribes(), RocketMqAcl.SUBSCRIBE_ACTIONS);
        }
      }
    } catch (AdminFailure e) {
      throw e;
    } catch (Exception e) {
      throw new AdminFailure("the topics Job failed: " + e, e);
    } finally {
      admin.shutdown();
    }
  }

  /** The master address of each broker group of the cluster that has one registered now. */
  static Set<String> masters(ClusterInfo info, String cluster) {
    Set<String> groups = info.getClusterAddrTable() == null ? null : info.getClusterAddrTable().get(cluster);
    if (groups == null) {
      return Set.of();
    }
    Set<String> found = new TreeSet<>();
    for (String group : groups) {
      BrokerData data = info.getBrokerAddrTable().get(group);
      String master = data == null ? null : data.getBrokerAddrs().get(MixAll.MASTER_ID);
      if (master != null) {
        found.add(master);
      }
    }
    return found;
  }

  private void ensureTopic(DefaultMQAdminExt admin, PrintStream out, long deadline, Set<String> masters, String name,
      String messageType) {
    TopicConfig config = new TopicConfig(name, QUEUES, QUEUES, PermName.PERM_READ | PermName.PERM_WRITE);
    config.setAttributes(Map.of("+message.type", messageType));
    for (String master : masters) {
      waitFor(out, deadline, "topic " + name + " created on " + master, () -> {
        admin.createAndUpdateTopicConfig(master, config);
        return Boolean.TRUE;
      });
    }
    TopicRouteData route = waitFor(out, deadline, "the route of topic " + name + " on the name server", () -> {
      TopicRouteData r = admin.examineTopicRouteInfo(name);
      return r == null || r.getQueueDatas() == null || r.getQueueDatas().isEmpty() ? null : r;
    });
    out.println("topic " + name + " exists (" + messageType + ", " + route.getQueueDatas().size()
        + " broker group(s) on the name server)");
  }

  private void ensureUser(DefaultMQAdminExt admin, PrintStream out, long deadline, String address, ServiceUser user) {
    String what = waitFor(out, deadline, "user " + user.username() + " on " + address, () -> {
      try {
        admin.createUser(address, user.username(), user.password(), null);
        return "created";
      } catch (MQBrokerException e) {
        if (e.getErrorMessage() == null || !e.getErrorMessage().contains("existed")) {
          throw e;
        }
      }
      admin.updateUser(address, user.username(), user.password(), null, null);
      return "updated";
    });
    out.println("user " + user.username() + " " + what + " on " + address);
  }

  private void grant(DefaultMQAdminExt admin, PrintStream out, long deadline, String address, String username,
      List<String> resources, String actions) {
    List<String> actionList = split(actions, ",");
    waitFor(out, deadline, "policy of " + username + " on " + address, () -> {
      // An existing policy of the subject is merged with this one by the broker.
      admin.createAcl(address, "User:" + username, resources, actionList, null, "Allow");
      return Boolean.TRUE;
    });
    out.println("user " + username + " may " + actions + " on " + String.join(",", resources) + " at " + address);
  }

  interface Attempt<T> {
    /** The result, or null while what is waited for is not there yet. */
    T call() throws Exception;
  }

  /**
   * Tries until the attempt gives a result or the deadline passes; a refusal by a broker that waiting cannot change
   * (the super user's sign-in, a permission) fails at once. Prints why it waits, at most every 10 s.
   */
  <T> T waitFor(PrintStream out, long deadline, String what, Attempt<T> attempt) {
    long lastSaid = 0;
    while (true) {
      String reason;
      try {
        T result = attempt.call();
        if (result != null) {
          return result;
        }
        reason = "not there yet";
      } catch (MQBrokerException e) {
        checkNotRefusedForGood(what, e.getResponseCode(), e.getErrorMessage(), e);
        reason = e.getErrorMessage();
      } catch (MQClientException e) {
        // What the admin API throws for most refusals (a wrong super user password: CODE 16, "check signature failed").
        checkNotRefusedForGood(what, e.getResponseCode(), e.getErrorMessage(), e);
        reason = "MQClientException: " + firstLine(e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AdminFailure(what + ": interrupted", e);
      } catch (Exception e) {
        reason = e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
      }
      long now = System.nanoTime();
      if (now - deadline >= 0) {
        throw new AdminFailure(what + " did not succeed within " + wait.toSeconds() + " s (" + TopicsJob.WAIT_SECONDS_ENV
            + "): " + reason);
      }
      if (lastSaid == 0 || now - lastSaid > Duration.ofSeconds(10).toNanos()) {
        out.println("waiting for " + what + ": " + reason);
        lastSaid = now;
      }
      try {
        Thread.sleep(RETRY_EVERY.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AdminFailure(what + ": interrupted", e);
      }
    }
  }

  private static void checkNotRefusedForGood(String what, int code, String message, Exception e) {
    String lower = String.valueOf(message).toLowerCase();
    if (code == ResponseCode.NO_PERMISSION || lower.contains("signature") || lower.contains("authentic")
        || lower.contains("permission")) {
      throw new AdminFailure(what + " did not succeed: the broker refused it (" + code + ": " + message
          + "; is the super user's password in the credentials Secret the one the broker started with?)", e);
    }
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
