package io.reliabletx.operator.pipeline.children;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Every child of a pipeline, by the name of the operator's dependent that keeps it in shape (the names of its
 * workflow), with the component whose status condition it counts in: what the operator would create, without it.
 */
public final class PipelineChildren {
  public static final String NAMESRV_SVC = "namesrv-service";
  public static final String NAMESRV_NETPOL = "namesrv-network-policy";
  public static final String NAMESRV = "namesrv";
  public static final String BROKER_CONFIG = "broker-config";
  public static final String BROKER_SVC = "broker-service";
  public static final String BROKER_NETPOL = "broker-network-policy";
  public static final String BROKER = "broker";
  public static final String BROKER_PDB = "broker-disruption-budget";
  public static final String TOPICS = "topics";
  public static final String CONSOLE = "console";
  public static final String CONSOLE_SVC = "console-service";
  public static final String CONSOLE_NETPOL = "console-network-policy";
  public static final String CREDENTIALS = "credentials";
  public static final String MYSQL_INIT = "mysql-init";
  public static final String MYSQL_SVC = "mysql-service";
  public static final String MYSQL_NETPOL = "mysql-network-policy";
  public static final String MYSQL = "mysql";
  public static final String ORDER = "order";
  public static final String ORDER_SVC = "order-service";
  public static final String ORDER_NETPOL = "order-network-policy";
  public static final String STOCK = "stock";
  public static final String STOCK_SVC = "stock-service";
  public static final String STOCK_NETPOL = "stock-network-policy";

  private record Child(String component, Predicate<ReliableTxPipeline> present,
                       Function<ReliableTxPipeline, HasMetadata> desired) {}

  private static final Predicate<ReliableTxPipeline> ALWAYS = p -> true;

  /** In the order of the operator's workflow; a component's condition is listed where its first child is. */
  private static final Map<String, Child> CHILDREN = new LinkedHashMap<>();

  static {
    CHILDREN.put(NAMESRV_SVC, new Child(Components.NAME_SERVER, ALWAYS, NameServer::service));
    CHILDREN.put(NAMESRV_NETPOL, new Child(Components.NAME_SERVER, NetworkPolicies::enabled,
        NetworkPolicies::nameServer));
    CHILDREN.put(NAMESRV, new Child(Components.NAME_SERVER, ALWAYS, NameServer::statefulSet));
    CHILDREN.put(BROKER_CONFIG, new Child(Components.BROKER, ALWAYS, Broker::config));
    CHILDREN.put(BROKER_SVC, new Child(Components.BROKER, ALWAYS, Broker::service));
    CHILDREN.put(BROKER_NETPOL, new Child(Components.BROKER, NetworkPolicies::enabled, NetworkPolicies::broker));
    CHILDREN.put(BROKER, new Child(Components.BROKER, ALWAYS, Broker::statefulSet));
    CHILDREN.put(BROKER_PDB, new Child(Components.BROKER, ALWAYS, Broker::disruptionBudget));
    CHILDREN.put(TOPICS, new Child(Components.TOPICS, ALWAYS, TopicsJob::job));
    CHILDREN.put(CONSOLE, new Child(Components.CONSOLE, Console::enabled, Console::deployment));
    CHILDREN.put(CONSOLE_SVC, new Child(Components.CONSOLE, Console::enabled, Console::service));
    CHILDREN.put(CONSOLE_NETPOL, new Child(Components.CONSOLE, NetworkPolicies::consoleEnabled,
        NetworkPolicies::console));
    CHILDREN.put(CREDENTIALS, new Child(Components.MYSQL, Mysql::generatesCredentials,
        p -> Mysql.credentials(p, Map.of())));
    CHILDREN.put(MYSQL_INIT, new Child(Components.MYSQL, ALWAYS, Mysql::init));
    CHILDREN.put(MYSQL_SVC, new Child(Components.MYSQL, ALWAYS, Mysql::service));
    CHILDREN.put(MYSQL_NETPOL, new Child(Components.MYSQL, NetworkPolicies::enabled, NetworkPolicies::mysql));
    CHILDREN.put(MYSQL, new Child(Components.MYSQL, ALWAYS, Mysql::statefulSet));
    CHILDREN.put(ORDER, new Child(Components.ORDER, ALWAYS, OrderService::deployment));
    CHILDREN.put(ORDER_SVC, new Child(Components.ORDER, ALWAYS, OrderService::service));
    CHILDREN.put(ORDER_NETPOL, new Child(Components.ORDER, NetworkPolicies::enabled, NetworkPolicies::orderService));
    CHILDREN.put(STOCK, new Child(Components.STOCK, ALWAYS, StockService::deployment));
    CHILDREN.put(STOCK_SVC, new Child(Components.STOCK, ALWAYS, StockService::service));
    CHILDREN.put(STOCK_NETPOL, new Child(Components.STOCK, NetworkPolicies::enabled, NetworkPolicies::stockService));
  }

  private PipelineChildren() {}

  /** Every child's name, whether or not a given pipeline has it. */
  public static List<String> names() {
    return List.copyOf(CHILDREN.keySet());
  }

  /** The component (status condition type, {@link Components}) a child belongs to. */
  public static String component(String child) {
    return child(child).component();
  }

  /** Whether {@code pipeline} has this child (a switched-off console or NetworkPolicy, a named Secret: not). */
  public static boolean present(String child, ReliableTxPipeline pipeline) {
    return child(child).present().test(pipeline);
  }

  private static Child child(String name) {
    Child c = CHILDREN.get(name);
    if (c == null) {
      throw new IllegalArgumentException("no child of a pipeline is named " + name);
    }
    return c;
  }

  /**
   * The desired objects of the children {@code pipeline} has (no console when it is disabled, no credentials Secret
   * when the spec names one), by child name. The credentials Secret holds freshly generated passwords.
   */
  public static Map<String, HasMetadata> of(ReliableTxPipeline pipeline) {
    Map<String, HasMetadata> objects = new LinkedHashMap<>();
    CHILDREN.forEach((name, child) -> {
      if (child.present().test(pipeline)) {
        objects.put(name, child.desired().apply(pipeline));
      }
    });
    return objects;
  }
}
