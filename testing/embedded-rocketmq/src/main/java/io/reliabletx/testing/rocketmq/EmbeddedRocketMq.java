package io.reliabletx.testing.rocketmq;

import io.reliabletx.testing.machine.FreePorts;
import io.reliabletx.testing.machine.Pause;
import io.reliabletx.testing.machine.ScratchDirectories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.rocketmq.auth.config.AuthConfig;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.common.BrokerConfig;
import org.apache.rocketmq.common.MQVersion;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.common.namesrv.NamesrvConfig;
import org.apache.rocketmq.namesrv.NamesrvController;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyServerConfig;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.store.config.FlushDiskType;
import org.apache.rocketmq.store.config.MessageStoreConfig;

/**
 * A real RocketMQ NameServer and Broker running in this JVM, on free loopback ports, with a store in a temporary
 * directory (small mapped files) and fast transaction check-back. Both are the production classes
 * ({@link NamesrvController}, {@link BrokerController}); only their configuration is sized for tests.
 *
 * <p>Three things the controllers need that their startup classes normally do (see shared PROBES.md): the
 * remoting version property, re-registration until routes exist, and stopping the transaction-check pool.
 */
public final class EmbeddedRocketMq implements AutoCloseable {

  public static final String CLUSTER = "DefaultCluster";
  public static final String BROKER_NAME = "broker-a";

  /**
   * Broker settings that matter to the pattern. Check-back: the broker asks the producer about a half message that
   * is {@code transactionTimeOutMs} old, every {@code transactionCheckIntervalMs}; {@code transactionOpBatchIntervalMs}
   * must stay below the timeout or committed half messages are checked (and redelivered) again.
   */
  public record Settings(int nameServerPort, int brokerPort, Path storeDir, long transactionCheckIntervalMs,
                         long transactionTimeOutMs, int transactionOpBatchIntervalMs, int transactionCheckMax,
                         FlushDiskType flushDiskType, Map<String, String> brokerConf) {

    public static Settings forTests() {
      // transactionCheckMax 100: at one check a second, a producer group may be down for over a minute (a
      // restarting service) before the broker gives a half message up.
      return new Settings(0, 0, null, 1000, 1000, 100, 100, FlushDiskType.ASYNC_FLUSH, Map.of());
    }

    public Settings withPorts(int nameServer, int broker) {
      return new Settings(nameServer, broker, storeDir, transactionCheckIntervalMs, transactionTimeOutMs,
          transactionOpBatchIntervalMs, transactionCheckMax, flushDiskType, brokerConf);
    }

    /** Keep the store here (survives {@link #close()}, so a restarted broker finds its messages). */
    public Settings withStoreDir(Path dir) {
      return new Settings(nameServerPort, brokerPort, dir, transactionCheckIntervalMs, transactionTimeOutMs,
          transactionOpBatchIntervalMs, transactionCheckMax, flushDiskType, brokerConf);
    }

    public Settings withCheckBack(long intervalMs, long timeOutMs) {
      return new Settings(nameServerPort, brokerPort, storeDir, intervalMs, timeOutMs,
          (int) Math.min(transactionOpBatchIntervalMs, Math.max(1, timeOutMs / 2)), transactionCheckMax, flushDiskType,
          brokerConf);
    }

    public Settings withFlushDiskType(FlushDiskType type) {
      return new Settings(nameServerPort, brokerPort, storeDir, transactionCheckIntervalMs, transactionTimeOutMs,
          transactionOpBatchIntervalMs, transactionCheckMax, type, brokerConf);
    }

    /**
     * Start the broker from a rendered broker.conf (the operator's, key → value): every key must be a property of
     * RocketMQ's config classes with a value it takes ({@link BrokerConfLoader}), then only {@link #LOCAL_KEYS} are
     * replaced by this machine's. Its transaction and flush settings replace this record's.
     */
    public Settings withBrokerConf(Map<String, String> entries) {
      return new Settings(nameServerPort, brokerPort, storeDir, transactionCheckIntervalMs, transactionTimeOutMs,
          transactionOpBatchIntervalMs, transactionCheckMax, flushDiskType, Map.copyOf(entries));
    }
  }

  /** The keys of a rendered broker.conf that name cluster paths, ports and addresses: replaced by local ones. */
  public static final java.util.List<String> LOCAL_KEYS =
      java.util.List.of("namesrvAddr", "brokerIP1", "listenPort", "storePathRootDir", "storePathCommitLog",
          "metricsPromExporterHost", "metricsPromExporterPort");

  private static final java.util.concurrent.atomic.AtomicInteger AUTH_INSTANCES = new java.util.concurrent.atomic.AtomicInteger();

  private final Settings settings;
  private final Path storeDir;
  private final boolean deleteStoreOnClose;
  private final int nameServerPort;
  private final int brokerPort;
  private NamesrvController nameServer;
  private BrokerController broker;
  private String brokerName = BROKER_NAME;
  private String clusterName = CLUSTER;

  private EmbeddedRocketMq(Settings settings, Path storeDir, boolean deleteStoreOnClose, int nameServerPort,
                           int brokerPort) {
    this.settings = settings;
    this.storeDir = storeDir;
    this.deleteStoreOnClose = deleteStoreOnClose;
    this.nameServerPort = nameServerPort;
    this.brokerPort = brokerPort;
  }

  public static EmbeddedRocketMq start() {
    return start(Settings.forTests());
  }

  public static synchronized EmbeddedRocketMq start(Settings settings) {
    System.setProperty(RemotingCommand.REMOTING_VERSION_KEY, String.valueOf(MQVersion.CURRENT_VERSION));
    try {
      boolean temporary = settings.storeDir() == null;
      Path store = temporary ? Files.createTempDirectory("embedded-rocketmq-") : settings.storeDir();
      int nsPort = settings.nameServerPort() > 0 ? settings.nameServerPort() : FreePorts.any();
      // The broker also listens on port-2 (fast channel) and port+1 (HA): pick a free block.
      int brokerPort = settings.brokerPort() > 0 ? settings.brokerPort() : freeBrokerPort();
      EmbeddedRocketMq mq = new EmbeddedRocketMq(settings, store, temporary, nsPort, brokerPort);
      mq.startNameServer();
      mq.startBroker();
      return mq;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code host:port} of the name server, as clients are given it ({@code rocketmq.name-server}). */
  public String nameServerAddress() {
    return "127.0.0.1:" + nameServerPort;
  }

  public String brokerAddress() {
    return "127.0.0.1:" + brokerPort;
  }

  /** The broker's Prometheus endpoint, when its broker.conf turned the exporter on. */
  public java.util.Optional<String> brokerMetricsUrl() {
    BrokerConfig config = broker.getBrokerConfig();
    return config.getMetricsExporterType() == org.apache.rocketmq.common.metrics.MetricsExporterType.PROM
        ? java.util.Optional.of("http://127.0.0.1:" + config.getMetricsPromExporterPort() + "/metrics")
        : java.util.Optional.empty();
  }

  public Settings settings() {
    return settings;
  }

  /** Creates (or updates) a NORMAL topic with 4 queues and publishes its route. */
  public void createTopic(String topic) {
    createTopic(topic, "NORMAL", 4);
  }

  /** Creates (or updates) a topic whose message type is TRANSACTION, as transactional producers need. */
  public void createTransactionalTopic(String topic) {
    createTopic(topic, "TRANSACTION", 4);
  }

  public void createTopic(String topic, String messageType, int queues) {
    TopicConfig config = new TopicConfig(topic, queues, queues, PermName.PERM_READ | PermName.PERM_WRITE);
    Map<String, String> attributes = new HashMap<>();
    attributes.put("+message.type", messageType); // "+" = add, as the admin API sends it
    config.setAttributes(attributes);
    broker.getTopicConfigManager().updateTopicConfig(config);
    registerUntilRouted(topic);
  }

  /** Stops the broker only (the name server stays); {@link #restartBroker()} brings it back on the same store. */
  public void stopBroker() {
    if (broker != null) {
      shutdownBroker(broker);
      broker = null;
    }
  }

  public void restartBroker() {
    stopBroker();
    startBroker();
  }

  @Override
  public synchronized void close() {
    stopBroker();
    if (nameServer != null) {
      nameServer.shutdown();
      nameServer = null;
    }
    if (deleteStoreOnClose) {
      ScratchDirectories.delete(storeDir);
    }
  }

  private void startNameServer() {
    NamesrvConfig config = new NamesrvConfig();
    config.setRocketmqHome(storeDir.toString());
    config.setKvConfigPath(storeDir.resolve("namesrv/kvConfig.json").toString());
    config.setConfigStorePath(storeDir.resolve("namesrv/namesrv.properties").toString());
    NettyServerConfig server = new NettyServerConfig();
    server.setListenPort(nameServerPort);
    server.setBindAddress("127.0.0.1");
    nameServer = new NamesrvController(config, server, new NettyClientConfig());
    if (!nameServer.initialize()) {
      throw new IllegalStateException("RocketMQ name server failed to initialize");
    }
    try {
      nameServer.start();
    } catch (Exception e) {
      throw new IllegalStateException("RocketMQ name server failed to start on port " + nameServerPort, e);
    }
  }

  private void startBroker() {
    BrokerConfig config = new BrokerConfig();
    config.setRocketmqHome(storeDir.toString());
    config.setBrokerClusterName(CLUSTER);
    config.setBrokerName(BROKER_NAME);
    config.setBrokerId(0);
    config.setAutoCreateTopicEnable(false);
    config.setTransactionCheckInterval(settings.transactionCheckIntervalMs());
    config.setTransactionTimeOut(settings.transactionTimeOutMs());
    config.setTransactionOpBatchInterval(settings.transactionOpBatchIntervalMs());
    config.setTransactionCheckMax(settings.transactionCheckMax());
    // A broker killed with SIGKILL restarts from its last flushed check offset and re-checks every half message put
    // back since: each such copy starts a check chain of its own, so repeated kills multiply check-backs (and
    // redeliveries). The default flush, every 5 s, against these tests' 1 s check rounds let one fault suite run
    // reach ~490 check-backs of a single transaction; 1 s bounds the replay to about one round.
    config.setFlushConsumerOffsetInterval(1000);

    NettyServerConfig server = new NettyServerConfig();
    NettyClientConfig client = new NettyClientConfig();

    MessageStoreConfig store = new MessageStoreConfig();
    store.setMappedFileSizeCommitLog(64 * 1024 * 1024);
    store.setMappedFileSizeConsumeQueue(2 * 1024 * 1024);
    store.setMaxHashSlotNum(50_000);
    store.setMaxIndexNum(200_000);
    store.setMappedFileSizeTimerLog(8 * 1024 * 1024);
    // The timer wheel (timer messages, unused here) compares and forces its whole 2-day wheel file every second:
    // 15 % of all CPU samples in the data-plane benchmark. Delayed redelivery keeps working (delay levels).
    store.setTimerWheelEnable(false);
    // Redelivery after RECONSUME_LATER waits 10 s, 30 s, 1 min, 2 min... by default: tests would wait minutes for a
    // message that failed a few times (database restarting, broker down). Seconds, in the same 18 levels.
    store.setMessageDelayLevel("1s 2s 3s 4s 5s 6s 7s 8s 9s 10s 11s 12s 13s 14s 15s 16s 17s 18s");
    store.setFlushDiskType(settings.flushDiskType());
    store.setDiskMaxUsedSpaceRatio(95);

    // The rendered broker.conf, in the order BrokerStartup applies it; then this machine's paths, ports and addresses.
    AuthConfig auth = new AuthConfig();
    BrokerConfLoader.load(settings.brokerConf(), config, server, client, store, auth);
    config.setNamesrvAddr(nameServerAddress());
    config.setBrokerIP1("127.0.0.1");
    config.setBrokerIP2("127.0.0.1");
    config.setListenPort(brokerPort);
    server.setListenPort(brokerPort);
    server.setBindAddress("127.0.0.1");
    store.setStorePathRootDir(storeDir.resolve("broker").toString());
    store.setStorePathCommitLog(storeDir.resolve("broker/commitlog").toString());
    store.setHaListenPort(brokerPort + 1);
    if (config.getMetricsExporterType() == org.apache.rocketmq.common.metrics.MetricsExporterType.PROM) {
      config.setMetricsPromExporterHost("127.0.0.1");
      config.setMetricsPromExporterPort(FreePorts.any());
    }
    brokerName = config.getBrokerName();
    clusterName = config.getBrokerClusterName();

    // As BrokerStartup does: the users and ACLs live under the store (RocksDB), the cluster named. RocketMQ caches its
    // auth providers in static maps keyed by configName (one broker per JVM in a pod): each broker started here gets
    // its own, or a second one (another test, a restart) would check signatures against the first one's users.
    auth.setConfigName(config.getBrokerName() + "#" + AUTH_INSTANCES.incrementAndGet());
    auth.setClusterName(config.getBrokerClusterName());
    auth.setAuthConfigPath(store.getStorePathRootDir() + java.io.File.separator + "config");
    BrokerController controller = new BrokerController(config, server, client, store, auth);
    try {
      if (!controller.initialize()) {
        throw new IllegalStateException("RocketMQ broker failed to initialize (store " + storeDir + ")");
      }
      controller.start();
    } catch (Exception e) {
      shutdownBroker(controller);
      throw e instanceof IllegalStateException ise ? ise
          : new IllegalStateException("RocketMQ broker failed to start on port " + brokerPort, e);
    }
    broker = controller;
    registerUntilRouted(brokerName); // the broker-name topic exists on every broker
  }

  /** The first registration is often lost to a race with the name server: repeat until the route is there. */
  private void registerUntilRouted(String topic) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      broker.registerBrokerAll(true, false, true);
      if (nameServer.getRouteInfoManager().pickupTopicRouteData(topic) != null
          && nameServer.getRouteInfoManager().pickupTopicRouteData(clusterName) != null) {
        return;
      }
      Pause.millisOrFail(50);
    }
    throw new IllegalStateException("the name server has no route for " + topic + " after 30 s");
  }

  private static void shutdownBroker(BrokerController controller) {
    try {
      controller.shutdown();
    } finally {
      // 5.3.3 leaves this non-daemon pool running after shutdown(): the JVM would never exit.
      if (controller.getTransactionalMessageCheckListener() != null) {
        controller.getTransactionalMessageCheckListener().shutDown();
      }
    }
  }

  /** A free loopback port P for a broker, with P-2 (fast channel) and P+1 (HA) free too. */
  public static int freeBrokerPort() {
    return FreePorts.withNeighbours(-2, 1);
  }
}
