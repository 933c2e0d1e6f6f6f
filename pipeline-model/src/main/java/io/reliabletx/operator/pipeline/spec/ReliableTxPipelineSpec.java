package io.reliabletx.operator.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired state of a pipeline. Every field is optional: {@code spec: {}} gives a working pipeline. */
@ValidationRule(value = "[self.order.producerGroup, self.order.resultConsumerGroup, self.stock.consumerGroup,"
    + " self.stock.resultProducerGroup].all(g, [self.order.producerGroup, self.order.resultConsumerGroup,"
    + " self.stock.consumerGroup, self.stock.resultProducerGroup].filter(h, h == g).size() == 1)",
    message = "order.producerGroup, order.resultConsumerGroup, stock.consumerGroup and stock.resultProducerGroup must be"
        + " four different groups: RocketMQ keeps one subscription and one role per group, so a shared group steals or"
        + " drops messages (or sends the broker's check-backs to a service that cannot answer them)",
    reason = "FieldValueInvalid")
@ValidationRule(value = "!(self.order.topic in [self.broker.brokerClusterName, self.broker.brokerName])"
    + " && !(self.order.resultTopic in [self.broker.brokerClusterName, self.broker.brokerName])",
    message = "order.topic and order.resultTopic must differ from broker.brokerClusterName and broker.brokerName:"
        + " the broker keeps system topics of those names",
    reason = "FieldValueInvalid")
@ValidationRule(value = "!self.acl.enabled || !self.console.enabled || self.console.auth.enabled",
    message = "console.auth.enabled may not be false while acl.enabled is true: the console signs in to RocketMQ as the"
        + " super user, so its login is all that keeps the super user's rights from anyone who reaches it",
    reason = "FieldValueForbidden")
public class ReliableTxPipelineSpec {
  @JsonPropertyDescription("RocketMQ NameServer.")
  @Default("{}")
  private NameServerSpec nameServer = new NameServerSpec();

  @JsonPropertyDescription("RocketMQ Broker; field names follow broker.conf.")
  @Default("{}")
  private BrokerSpec broker = new BrokerSpec();

  @JsonPropertyDescription("Transaction check-back of half messages (broker.conf transaction* keys); the order service's"
      + " rollback deadline (RELIABLETX_CHECK_BACK_ROLLBACK_AFTER) is derived from it.")
  @Default("{}")
  private TransactionCheckSpec transaction = new TransactionCheckSpec();

  @JsonPropertyDescription("RocketMQ dashboard (console).")
  @Default("{}")
  private ConsoleSpec console = new ConsoleSpec();

  @JsonPropertyDescription("MySQL holding the databases tx-msg-orders and tx-msg-stock.")
  @Default("{}")
  private MysqlSpec mysql = new MysqlSpec();

  @JsonPropertyDescription("The order service: transactional producer of the order topic.")
  @Default("{}")
  private OrderServiceSpec order = new OrderServiceSpec();

  @JsonPropertyDescription("The stock service: consumer of the order topic.")
  @Default("{}")
  private StockServiceSpec stock = new StockServiceSpec();

  @JsonPropertyDescription("The Job that creates the topics: its pod settings.")
  @Default("{}")
  private TopicsJobSpec topicsJob = new TopicsJobSpec();

  @JsonPropertyDescription("reliable-tx's admin program: the image of the topics Job and of the broker's init container.")
  @Default("{}")
  private PipelineAdminSpec pipelineAdmin = new PipelineAdminSpec();

  @JsonPropertyDescription("NetworkPolicies: only the pipeline's own pods reach MySQL, the name server and the broker.")
  @Default("{}")
  private NetworkPolicySpec networkPolicy = new NetworkPolicySpec();

  @JsonPropertyDescription("RocketMQ access control: each client signs in and may use only its own topics and groups.")
  @Default("{}")
  private AclSpec acl = new AclSpec();

  @JsonPropertyDescription("Prometheus metrics of the broker.")
  @Default("{}")
  private MetricsSpec metrics = new MetricsSpec();

  public NameServerSpec getNameServer() { return nameServer; }
  public void setNameServer(NameServerSpec v) { nameServer = v == null ? new NameServerSpec() : v; }
  public BrokerSpec getBroker() { return broker; }
  public void setBroker(BrokerSpec v) { broker = v == null ? new BrokerSpec() : v; }
  public TransactionCheckSpec getTransaction() { return transaction; }
  public void setTransaction(TransactionCheckSpec v) { transaction = v == null ? new TransactionCheckSpec() : v; }
  public ConsoleSpec getConsole() { return console; }
  public void setConsole(ConsoleSpec v) { console = v == null ? new ConsoleSpec() : v; }
  public MysqlSpec getMysql() { return mysql; }
  public void setMysql(MysqlSpec v) { mysql = v == null ? new MysqlSpec() : v; }
  public OrderServiceSpec getOrder() { return order; }
  public void setOrder(OrderServiceSpec v) { order = v == null ? new OrderServiceSpec() : v; }
  public StockServiceSpec getStock() { return stock; }
  public void setStock(StockServiceSpec v) { stock = v == null ? new StockServiceSpec() : v; }
  public TopicsJobSpec getTopicsJob() { return topicsJob; }
  public void setTopicsJob(TopicsJobSpec v) { topicsJob = v == null ? new TopicsJobSpec() : v; }
  public PipelineAdminSpec getPipelineAdmin() { return pipelineAdmin; }
  public void setPipelineAdmin(PipelineAdminSpec v) { pipelineAdmin = v == null ? new PipelineAdminSpec() : v; }
  public NetworkPolicySpec getNetworkPolicy() { return networkPolicy; }
  public void setNetworkPolicy(NetworkPolicySpec v) { networkPolicy = v == null ? new NetworkPolicySpec() : v; }
  public MetricsSpec getMetrics() { return metrics; }
  public void setMetrics(MetricsSpec v) { metrics = v == null ? new MetricsSpec() : v; }
  public AclSpec getAcl() { return acl; }
  public void setAcl(AclSpec v) { acl = v == null ? new AclSpec() : v; }
}
