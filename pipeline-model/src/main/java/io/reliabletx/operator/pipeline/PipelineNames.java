package io.reliabletx.operator.pipeline;

import io.reliabletx.operator.pipeline.spec.ReliableTxPipelineSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Names, labels and in-cluster addresses of a pipeline's children: one place, used by every dependent. */
public final class PipelineNames {
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "reliable-tx-operator";
  /** The informers of the dependents watch only objects carrying this selector. */
  public static final String SELECTOR = MANAGED_BY_LABEL + "=" + MANAGED_BY;
  public static final String CONFIG_HASH_ANNOTATION = "reliabletx.io/config-hash";

  public static final int NAMESRV_PORT = 9876;
  public static final int BROKER_PORT = 10911;
  public static final int BROKER_VIP_PORT = 10909;
  /** The master's replication port (broker.conf haListenPort), which its slaves connect to. */
  public static final int BROKER_HA_PORT = 10912;
  public static final int MYSQL_PORT = 3306;
  public static final int HTTP_PORT = 8080;
  /** The broker's Prometheus exporter (broker.conf metricsPromExporterPort; RocketMQ's default). */
  public static final int METRICS_PORT = 5557;

  /** Services need DNS-1035 labels, and every child's name starts with the pipeline's. */
  public static final String DNS_1035_LABEL = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
  /** A StatefulSet's pods carry controller-revision-hash = its name + '-' + 10 characters, and a label holds 63. */
  public static final int MAX_STATEFULSET_NAME_LENGTH = 52;
  /** The longest StatefulSet is {@code <name>-namesrv}; PipelineNamesTest checks every child against its own limit. */
  public static final int MAX_NAME_LENGTH = MAX_STATEFULSET_NAME_LENGTH - 8;

  public static final String ORDERS_DATABASE = "tx-msg-orders";
  public static final String STOCK_DATABASE = "tx-msg-stock";

  private final String name;
  private final String namespace;

  public PipelineNames(ReliableTxPipeline pipeline) {
    this(pipeline.getMetadata().getName(), pipeline.getMetadata().getNamespace());
  }

  public PipelineNames(String name, String namespace) {
    this.name = name;
    this.namespace = namespace;
  }

  public String namespace() { return namespace; }
  public String nameServer() { return name + "-namesrv"; }
  public String broker() { return name + "-broker"; }
  public String brokerConfig() { return name + "-broker-config"; }
  public String console() { return name + "-console"; }
  public String mysql() { return name + "-mysql"; }
  public String mysqlInit() { return name + "-mysql-init"; }
  public String credentials() { return name + "-credentials"; }
  public String topicsJobPrefix() { return name + "-topics-"; }
  public String order() { return name + "-order"; }
  public String stock() { return name + "-stock"; }

  /**
   * Every NameServer pod of {@code spec} by its stable DNS name ({@code host:port;host:port}): the broker registers with
   * each of them, and clients ask any. The one place this address is made.
   */
  public String nameServerAddress(ReliableTxPipelineSpec spec) {
    return IntStream.range(0, spec.getNameServer().getReplicas())
        .mapToObj(i -> nameServer() + "-" + i + "." + nameServer() + "." + namespace + ".svc:" + NAMESRV_PORT)
        .collect(Collectors.joining(";"));
  }

  /**
   * The name servers' headless Service with the port: it resolves to every ready name server pod. The broker looks up
   * every address behind it (broker.conf fetchNameSrvAddrByDnsLookup) and registers with each; the services, the
   * console and the topics Job connect to it as one address (any name server knows every route). So changing the
   * number of name servers rolls none of them.
   */
  public String nameServerDomain() {
    return nameServer() + "." + namespace + ".svc:" + NAMESRV_PORT;
  }

  /** The address the master announces to clients (pod 0 of the broker StatefulSet through the headless Service). */
  public String brokerHost() {
    return brokerHost(0);
  }

  /** The address broker pod {@code ordinal} announces: its stable DNS name through the headless Service. */
  public String brokerHost(int ordinal) {
    return broker() + "-" + ordinal + "." + broker() + "." + namespace + ".svc";
  }

  public String mysqlHost() { return mysql() + "." + namespace + ".svc"; }

  public String consoleUrl() { return "http://" + console() + "." + namespace + ".svc:" + HTTP_PORT; }

  /** The broker's Prometheus endpoint, through its headless Service. */
  public String brokerMetricsUrl() { return "http://" + brokerHost() + ":" + METRICS_PORT + "/metrics"; }

  public String jdbcUrl(String database) {
    return "jdbc:mysql://" + mysqlHost() + ":" + MYSQL_PORT + "/" + database;
  }

  /** Labels of one component's objects; the first two also select its pods. */
  public Map<String, String> labels(String component) {
    Map<String, String> labels = new LinkedHashMap<>(selector(component));
    labels.put("app.kubernetes.io/name", "reliable-tx");
    labels.put(MANAGED_BY_LABEL, MANAGED_BY);
    return labels;
  }

  /** Every pod of this pipeline, whatever its component. */
  public Map<String, String> pipelineSelector() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/instance", name);
    labels.put(MANAGED_BY_LABEL, MANAGED_BY);
    return labels;
  }

  public Map<String, String> selector(String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/instance", name);
    labels.put("app.kubernetes.io/component", component);
    return labels;
  }
}
