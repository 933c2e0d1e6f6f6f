package io.reliabletx.operator.pipeline.brokerconf;

import io.reliabletx.operator.pipeline.PipelineNames;
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

  public static BrokerConfig of(ReliableTxPipelineSpec spec, PipelineNames names) {
    BrokerSpec broker = spec.getBroker();
    TransactionCheckSpec tx = spec.getTransaction();
    Map<String, String> e = new LinkedHashMap<>();
    e.put("brokerClusterName", broker.getBrokerClusterName());
    e.put("brokerName", broker.getBrokerName());
    e.put("brokerId", broker.getBrokerRole() == BrokerRole.SLAVE ? "1" : "0");
    e.put("brokerRole", broker.getBrokerRole().name());
    e.put("flushDiskType", broker.getFlushDiskType().name());
    e.put("deleteWhen", broker.getDeleteWhen());
    e.put("fileReservedTime", Integer.toString(broker.getFileReservedTime()));
    e.put("diskMaxUsedSpaceRatio", Integer.toString(broker.getDiskMaxUsedSpaceRatio()));
    e.put("namesrvAddr", names.nameServerAddress(spec));
    e.put("brokerIP1", names.brokerHost());
    e.put("listenPort", Integer.toString(PipelineNames.BROKER_PORT));
    e.put("storePathRootDir", STORE_DIR);
    e.put("storePathCommitLog", STORE_DIR + "/commitlog");
    e.put("transactionCheckInterval", Long.toString(tx.getCheckIntervalMillis()));
    e.put("transactionTimeOut", Long.toString(tx.getTimeoutMillis()));
    e.put("transactionCheckMax", Integer.toString(tx.getCheckMax()));
    e.put("transactionOpBatchInterval", Long.toString(tx.getOpBatchIntervalMillis()));
    // Topics are created by the operator's topic Job, never on first use.
    e.put("autoCreateTopicEnable", "false");
    if (spec.getMetrics().isEnabled()) {
      // The Prometheus exporter on every interface (by default it binds only brokerIP1's address).
      e.put("metricsExporterType", "PROM");
      e.put("metricsPromExporterHost", "0.0.0.0");
      e.put("metricsPromExporterPort", Integer.toString(PipelineNames.METRICS_PORT));
    }
    for (Map.Entry<String, String> extra : new TreeMap<>(broker.getExtraConfig()).entrySet()) {
      // The API server refuses owned keys and anything that could start or continue another line; this guards
      // objects that bypassed validation.
      if (!BrokerOwnedKeys.KEYS.contains(extra.getKey()) && !e.containsKey(extra.getKey())
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

  /** Hash of the rendered text, put on the broker pod template so that a change rolls the broker. */
  public String hash() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(render().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
