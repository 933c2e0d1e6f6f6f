package io.reliabletx.operator.pipeline.brokerconf;

import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.acl.RocketMqAcl;
import io.reliabletx.operator.pipeline.spec.BrokerOwnedKeys;
import io.reliabletx.operator.pipeline.spec.BrokerRole;
import io.reliabletx.operator.pipeline.spec.BrokerSpec;
import io.reliabletx.operator.pipeline.spec.ReliableTxPipelineSpec;
import io.reliabletx.operator.pipeline.spec.TransactionCheckSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** The broker.conf of a pipeline: a pure function of the spec, rendered in a stable key order. */
public final class BrokerConfig {
  public static final String FILE_NAME = "broker.conf";
  public static final String MOUNT_DIR = "/home/rocketmq/conf";
  public static final String STORE_DIR = "/home/rocketmq/store";

  private final Map<String, String> entries;

  private BrokerConfig(Map<String, String> entries) {
    this.entries = entries;
  }

  /** The master's broker.conf (pod 0). */
  public static BrokerConfig of(ReliableTxPipelineSpec spec, PipelineNames names) {
    return of(spec, names, 0);
  }

  /**
   * The broker.conf of pod {@code ordinal} of the broker group: pod 0 is the master with the spec's role, every other
   * pod a slave whose brokerId is its ordinal. A group of several pods names each pod's own address for clients
   * (brokerIP1) and for replication (brokerIP2: the slaves reach the master's HA port through it).
   */
  public static BrokerConfig of(ReliableTxPipelineSpec spec, PipelineNames names, int ordinal) {
    BrokerSpec broker = spec.getBroker();
    TransactionCheckSpec tx = spec.getTransaction();
    boolean master = ordinal == 0;
    boolean group = broker.getReplicas() > 1;
    // A SLAVE typed before roles were derived (the API server now refuses it) stands for the default master role.
    BrokerRole masterRole = broker.getBrokerRole() == BrokerRole.SLAVE ? BrokerRole.ASYNC_MASTER : broker.getBrokerRole();
    Map<String, String> e = new LinkedHashMap<>();
    e.put("brokerClusterName", broker.getBrokerClusterName());
    e.put("brokerName", broker.getBrokerName());
    e.put("brokerId", Integer.toString(ordinal));
    e.put("brokerRole", master ? masterRole.name() : BrokerRole.SLAVE.name());
    e.put("flushDiskType", broker.getFlushDiskType().name());
    e.put("deleteWhen", broker.getDeleteWhen());
    e.put("fileReservedTime", Integer.toString(broker.getFileReservedTime()));
    e.put("diskMaxUsedSpaceRatio", Integer.toString(broker.getDiskMaxUsedSpaceRatio()));
    // The headless Service's name: the broker looks its addresses up every 10 s and registers with each name server,
    // so adding or removing name servers changes neither this file nor the broker's pods.
    e.put("namesrvAddr", names.nameServerDomain());
    e.put("fetchNameSrvAddrByDnsLookup", "true");
    e.put("updateNameServerAddrPeriod", "10000");
    e.put("brokerIP1", names.brokerHost(ordinal));
    e.put("listenPort", Integer.toString(PipelineNames.BROKER_PORT));
    if (group) {
      e.put("brokerIP2", names.brokerHost(ordinal));
      e.put("haListenPort", Integer.toString(PipelineNames.BROKER_HA_PORT));
      if (master && masterRole == BrokerRole.SYNC_MASTER) {
        // RocketMQ 5 acknowledges a SYNC_MASTER's message without any slave while inSyncReplicas is 1.
        e.put("inSyncReplicas", "2");
      }
    }
    e.put("storePathRootDir", STORE_DIR);
    e.put("storePathCommitLog", STORE_DIR + "/commitlog");
    e.put("transactionCheckInterval", Long.toString(tx.getCheckIntervalMillis()));
    e.put("transactionTimeOut", Long.toString(tx.getTimeoutMillis()));
    e.put("transactionCheckMax", Integer.toString(tx.getCheckMax()));
    e.put("transactionOpBatchInterval", Long.toString(tx.getOpBatchIntervalMillis()));
    // Topics are created by the operator's topic Job, never on first use.
    e.put("autoCreateTopicEnable", "false");
    if (RocketMqAcl.enabled(spec)) {
      // The super user is added from the credentials Secret by the pod's init container (Broker.PRIVATE_CONFIG_FILE), never kept here.
      e.putAll(RocketMqAcl.brokerEntries());
    }
    if (spec.getMetrics().isEnabled()) {
      // The Prometheus exporter on every interface (by default it binds only brokerIP1's address).
      e.put("metricsExporterType", "PROM");
      e.put("metricsPromExporterHost", "0.0.0.0");
      e.put("metricsPromExporterPort", Integer.toString(PipelineNames.METRICS_PORT));
    }
    for (Map.Entry<String, String> extra : new TreeMap<>(broker.getExtraConfig()).entrySet()) {
      // The API server refuses owned keys and anything that could start or continue another line; this guards
      // objects that bypassed validation.
      if (BrokerOwnedKeys.allowed(extra.getKey()) && !e.containsKey(extra.getKey())
          && extra.getKey().matches("[a-zA-Z][a-zA-Z0-9]*") && !extra.getValue().matches("(?s).*[\\r\\n\\\\].*")) {
        e.put(extra.getKey(), extra.getValue());
      }
    }
    return new BrokerConfig(e);
  }

  public Map<String, String> entries() {
    return entries;
  }

  public String render() {
    StringBuilder out = new StringBuilder("# Rendered by reliable-tx-operator from the ReliableTxPipeline spec; edits are reverted.\n");
    entries.forEach((k, v) -> out.append(k).append(" = ").append(v).append('\n'));
    return out.toString();
  }

  /** The file pod {@code ordinal} of the group reads: broker.conf for the master, broker-i.conf for slave i. */
  public static String fileName(int ordinal) {
    return ordinal == 0 ? FILE_NAME : "broker-" + ordinal + ".conf";
  }

  /** Hash of the rendered files (name and text), put on the broker pod template so that a change rolls the group. */
  public static String hash(Map<String, String> files) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      files.forEach((name, text) -> digest.update((name + "\n" + text).getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(digest.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
