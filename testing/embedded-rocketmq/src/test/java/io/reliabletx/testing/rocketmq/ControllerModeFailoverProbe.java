package io.reliabletx.testing.rocketmq;

import io.reliabletx.testing.machine.FreePorts;
import io.reliabletx.testing.machine.ScratchDirectories;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.client.producer.TransactionListener;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.apache.rocketmq.client.producer.TransactionSendResult;
import org.apache.rocketmq.common.BrokerConfig;
import org.apache.rocketmq.common.ControllerConfig;
import org.apache.rocketmq.common.MQVersion;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.namesrv.NamesrvConfig;
import org.apache.rocketmq.controller.ControllerManager;
import org.apache.rocketmq.namesrv.NamesrvController;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyServerConfig;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.store.config.BrokerRole;
import org.apache.rocketmq.store.config.MessageStoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A probe, not part of the suite (run with {@code -Dprobe.controller=true}): RocketMQ 5.3.3's controller mode
 * (standalone DLedger controller, two brokers of one group) in process, a transactional producer sending all along and
 * half messages left UNKNOWN on the master; then the master stops. It prints how long no transactional send
 * succeeded, whether a slave was promoted, and whether the UNKNOWN half messages were checked back and delivered by the
 * new master. The README's "Broker high availability" quotes what it printed.
 */
@EnabledIfSystemProperty(named = "probe.controller", matches = "true")
class ControllerModeFailoverProbe {
  private static final String TOPIC = "probe-tx";
  private static final int UNKNOWN_HALF_MESSAGES = 20;

  @Test
  void masterStopsWhileTransactionalMessagesFlow() throws Exception {
    System.setProperty(RemotingCommand.REMOTING_VERSION_KEY, String.valueOf(MQVersion.CURRENT_VERSION));
    Path dir = Files.createTempDirectory("controller-probe-");
    int nsPort = FreePorts.any();
    // The controller serves brokers on its DLedger peer port.
    int controllerPort = FreePorts.any();
    NamesrvController nameServer = nameServer(dir, nsPort);
    ControllerManager controller = controller(dir, controllerPort);
    List<BrokerController> brokers = new ArrayList<>();
    brokers.add(broker(dir, "b0", nsPort, controllerPort));
    Thread.sleep(3000);
    brokers.add(broker(dir, "b1", nsPort, controllerPort));
    BrokerController master = awaitMaster(brokers, 60_000);
    log("master elected: " + master.getBrokerAddr() + " id " + master.getBrokerConfig().getBrokerId());
    long created = System.nanoTime();
    createTopic(master);
    BrokerController slave = brokers.stream().filter(b -> b != master).findFirst().orElseThrow();
    long syncDeadline = System.currentTimeMillis() + 60_000;
    while (!slave.getTopicConfigManager().getTopicConfigTable().containsKey(TOPIC)
        && System.currentTimeMillis() < syncDeadline) {
      Thread.sleep(200);
    }
    log(String.format("the slave knows the topic: %s, %.1f s after it was created on the master",
        slave.getTopicConfigManager().getTopicConfigTable().containsKey(TOPIC), (System.nanoTime() - created) / 1e9));

    Set<String> delivered = ConcurrentHashMap.newKeySet();
    Set<String> unknown = ConcurrentHashMap.newKeySet();
    Set<String> checkedBackAfterStop = ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicBoolean masterStopped = new java.util.concurrent.atomic.AtomicBoolean();
    DefaultMQPushConsumer consumer = new DefaultMQPushConsumer("probe-consumer");
    consumer.setNamesrvAddr("127.0.0.1:" + nsPort);
    consumer.subscribe(TOPIC, "*");
    consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
      msgs.forEach(m -> delivered.add(m.getKeys()));
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    });
    consumer.start();
    TransactionMQProducer producer = new TransactionMQProducer("probe-producer");
    producer.setNamesrvAddr("127.0.0.1:" + nsPort);
    producer.setSendMsgTimeout(3000);
    producer.setTransactionListener(new TransactionListener() {
      @Override
      public LocalTransactionState executeLocalTransaction(Message msg, Object arg) {
        return unknown.contains(msg.getKeys()) ? LocalTransactionState.UNKNOW : LocalTransactionState.COMMIT_MESSAGE;
      }

      @Override
      public LocalTransactionState checkLocalTransaction(MessageExt msg) {
        // Left open until the master is gone: only the broker that takes over can settle them.
        if (!masterStopped.get()) {
          return LocalTransactionState.UNKNOW;
        }
        checkedBackAfterStop.add(msg.getKeys());
        return LocalTransactionState.COMMIT_MESSAGE;
      }
    });
    producer.start();

    Set<String> committed = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < UNKNOWN_HALF_MESSAGES; i++) {
      unknown.add("unknown-" + i);
      send(producer, "unknown-" + i, committed);
    }
    Map<Long, Boolean> attempts = new ConcurrentHashMap<>();
    AtomicLong sequence = new AtomicLong();
    Thread load = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        String key = "k-" + sequence.incrementAndGet();
        attempts.put(System.nanoTime(), send(producer, key, committed));
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    load.start();
    Thread.sleep(3000);
    long stopped = System.nanoTime();
    log("stopping the master " + master.getBrokerAddr());
    masterStopped.set(true);
    master.shutdown();
    master.getTransactionalMessageCheckListener().shutDown();
    brokers.remove(master);
    BrokerController promoted = awaitMaster(brokers, 120_000);
    double promotedAfter = (System.nanoTime() - stopped) / 1e9;
    log(String.format("slave %s promoted after %.1f s (brokerId %d, role %s)", promoted.getBrokerAddr(), promotedAfter,
        promoted.getBrokerConfig().getBrokerId(), promoted.getMessageStoreConfig().getBrokerRole()));
    log("the new master knows the topic: " + promoted.getTopicConfigManager().getTopicConfigTable().containsKey(TOPIC)
        + ", the half topic: " + promoted.getTopicConfigManager().getTopicConfigTable()
            .containsKey("RMQ_SYS_TRANS_HALF_TOPIC"));
    long firstOk = awaitFirstSuccessAfter(attempts, stopped, 90_000);
    double sendsBackAfter = firstOk < 0 ? -1 : (firstOk - stopped) / 1e9;
    log(String.format("first transactional send OK %.1f s after the master stopped (-1: none in 90 s)",
        sendsBackAfter));
    Thread.sleep(20_000);
    load.interrupt();
    load.join();
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline && !delivered.containsAll(committed)) {
      Thread.sleep(500);
    }
    Set<String> unknownDelivered = new java.util.TreeSet<>(unknown);
    unknownDelivered.retainAll(delivered);
    Set<String> missing = new java.util.TreeSet<>(committed);
    missing.removeAll(delivered);
    log(String.format("UNKNOWN half messages: %d sent, %d checked back after the master stopped (answered COMMIT),"
            + " %d delivered; committed sends %d, "
            + "not delivered %d %s; sends failed %d of %d", UNKNOWN_HALF_MESSAGES,
        checkedBackAfterStop.stream().filter(unknown::contains).count(), unknownDelivered.size(), committed.size(),
        missing.size(), missing.stream().limit(10).toList(), attempts.values().stream().filter(ok -> !ok).count(),
        attempts.size()));
    producer.shutdown();
    consumer.shutdown();
    for (BrokerController b : brokers) {
      b.shutdown();
      b.getTransactionalMessageCheckListener().shutDown();
    }
    controller.shutdown();
    nameServer.shutdown();
    ScratchDirectories.delete(dir);
  }

  /** The first failure of each kind, to tell why sends failed. */
  private static final Set<String> FAILURES = ConcurrentHashMap.newKeySet();

  private static boolean send(TransactionMQProducer producer, String key, Set<String> committed) {
    try {
      TransactionSendResult r = producer.sendMessageInTransaction(
          new Message(TOPIC, "tag", key, key.getBytes(StandardCharsets.UTF_8)), null);
      boolean ok = r.getSendStatus() == SendStatus.SEND_OK;
      if (!ok && FAILURES.add(r.getSendStatus().name())) {
        log("send answered " + r.getSendStatus() + " by " + r.getMessageQueue());
      }
      if (ok && r.getLocalTransactionState() != LocalTransactionState.ROLLBACK_MESSAGE) {
        committed.add(key);
      }
      return ok;
    } catch (Exception e) {
      String kind = e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      if (FAILURES.add(kind.replaceAll("[0-9]+", "#"))) {
        log("send failed: " + kind);
      }
      return false;
    }
  }

  private static long awaitFirstSuccessAfter(Map<Long, Boolean> attempts, long from, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      // A success after at least one failure that followed the stop.
      long firstFailure = attempts.entrySet().stream().filter(e -> e.getKey() >= from && !e.getValue())
          .mapToLong(Map.Entry::getKey).min().orElse(Long.MAX_VALUE);
      var ok = attempts.entrySet().stream().filter(e -> e.getKey() > firstFailure && e.getValue())
          .mapToLong(Map.Entry::getKey).min();
      if (ok.isPresent()) {
        return ok.getAsLong();
      }
      Thread.sleep(100);
    }
    return -1;
  }

  private static BrokerController awaitMaster(List<BrokerController> brokers, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      for (BrokerController b : brokers) {
        if (b.getMessageStoreConfig().getBrokerRole() != BrokerRole.SLAVE && b.getReplicasManager() != null
            && b.getReplicasManager().getMasterAddress() != null
            && b.getReplicasManager().getMasterAddress().equals(b.getBrokerAddr())) {
          return b;
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no master elected in " + timeoutMillis + " ms");
  }

  private static void createTopic(BrokerController master) {
    TopicConfig config = new TopicConfig(TOPIC, 4, 4, PermName.PERM_READ | PermName.PERM_WRITE);
    config.setAttributes(new java.util.HashMap<>(Map.of("+message.type", "TRANSACTION")));
    master.getTopicConfigManager().updateTopicConfig(config);
    master.registerBrokerAll(true, false, true);
  }

  private static NamesrvController nameServer(Path dir, int port) throws Exception {
    NamesrvConfig config = new NamesrvConfig();
    config.setRocketmqHome(dir.toString());
    config.setKvConfigPath(dir.resolve("namesrv/kvConfig.json").toString());
    config.setConfigStorePath(dir.resolve("namesrv/namesrv.properties").toString());
    NettyServerConfig server = new NettyServerConfig();
    server.setListenPort(port);
    server.setBindAddress("127.0.0.1");
    NamesrvController ns = new NamesrvController(config, server, new NettyClientConfig());
    ns.initialize();
    ns.start();
    return ns;
  }

  private static ControllerManager controller(Path dir, int port) throws Exception {
    ControllerConfig config = new ControllerConfig();
    config.setRocketmqHome(dir.toString());
    config.setConfigStorePath(dir.resolve("controller/controller.properties").toString());
    config.setControllerStorePath(dir.resolve("controller/store").toString());
    config.setControllerDLegerGroup("probe");
    config.setControllerDLegerPeers("n0-127.0.0.1:" + port);
    config.setControllerDLegerSelfId("n0");
    config.setMappedFileSize(4 * 1024 * 1024);
    NettyServerConfig server = new NettyServerConfig();
    server.setListenPort(port);
    server.setBindAddress("127.0.0.1");
    ControllerManager manager = new ControllerManager(config, server, new NettyClientConfig());
    if (!manager.initialize()) {
      throw new IllegalStateException("controller failed to initialize");
    }
    manager.start();
    return manager;
  }

  private static BrokerController broker(Path dir, String name, int nsPort, int controllerPort) throws Exception {
    int port = EmbeddedRocketMq.freeBrokerPort();
    BrokerConfig config = new BrokerConfig();
    config.setRocketmqHome(dir.toString());
    config.setBrokerClusterName("ProbeCluster");
    config.setBrokerName("broker-a");
    config.setNamesrvAddr("127.0.0.1:" + nsPort);
    config.setBrokerIP1("127.0.0.1");
    config.setBrokerIP2("127.0.0.1");
    config.setListenPort(port);
    config.setAutoCreateTopicEnable(false);
    config.setEnableControllerMode(true);
    config.setControllerAddr("127.0.0.1:" + controllerPort);
    config.setTransactionCheckInterval(1000);
    config.setTransactionTimeOut(1000);
    config.setTransactionOpBatchInterval(100);
    NettyServerConfig server = new NettyServerConfig();
    server.setListenPort(port);
    server.setBindAddress("127.0.0.1");
    MessageStoreConfig store = new MessageStoreConfig();
    store.setStorePathRootDir(dir.resolve(name).toString());
    store.setStorePathCommitLog(dir.resolve(name + "/commitlog").toString());
    store.setMappedFileSizeCommitLog(64 * 1024 * 1024);
    store.setMappedFileSizeConsumeQueue(2 * 1024 * 1024);
    store.setMaxHashSlotNum(50_000);
    store.setMaxIndexNum(200_000);
    store.setTimerWheelEnable(false);
    store.setHaListenPort(port + 1);
    store.setAllAckInSyncStateSet(true);
    BrokerController broker = new BrokerController(config, server, new NettyClientConfig(), store);
    if (!broker.initialize()) {
      throw new IllegalStateException("broker " + name + " failed to initialize");
    }
    broker.start();
    return broker;
  }

  private static void log(String line) {
    System.out.println("[controller-probe] " + line);
  }
}
