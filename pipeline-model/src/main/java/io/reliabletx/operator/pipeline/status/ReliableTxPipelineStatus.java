package io.reliabletx.operator.pipeline.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Observed state, following the Kubernetes API conventions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReliableTxPipelineStatus {
  @JsonPropertyDescription("metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Pending, Provisioning, Ready or Failed.")
  private Phase phase;

  @JsonPropertyDescription("One condition per component (NameServer, Broker, Topics, Console, MySQL, OrderService,"
      + " StockService) and Ready.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Addresses of the pipeline's services inside the cluster.")
  private Endpoints endpoints;

  @JsonPropertyDescription("Topic and groups the services are wired to.")
  private Wiring wiring;

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long v) { observedGeneration = v; }
  public Phase getPhase() { return phase; }
  public void setPhase(Phase v) { phase = v; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> v) { conditions = v == null ? new ArrayList<>() : v; }
  public Endpoints getEndpoints() { return endpoints; }
  public void setEndpoints(Endpoints v) { endpoints = v; }
  public Wiring getWiring() { return wiring; }
  public void setWiring(Wiring v) { wiring = v; }

  public enum Phase { Pending, Provisioning, Ready, Failed }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Endpoints {
    @JsonPropertyDescription("NameServer address list for clients (host:port;host:port).")
    private String nameServer;
    @JsonPropertyDescription("Console URL inside the cluster (when the console is enabled).")
    private String console;
    @JsonPropertyDescription("MySQL host:port.")
    private String mysql;
    @JsonPropertyDescription("The broker's Prometheus metrics URL (when metrics are enabled).")
    private String brokerMetrics;

    public String getNameServer() { return nameServer; }
    public void setNameServer(String v) { nameServer = v; }
    public String getConsole() { return console; }
    public void setConsole(String v) { console = v; }
    public String getMysql() { return mysql; }
    public void setMysql(String v) { mysql = v; }
    public String getBrokerMetrics() { return brokerMetrics; }
    public void setBrokerMetrics(String v) { brokerMetrics = v; }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Wiring {
    private String topic;
    private String resultTopic;
    private String producerGroup;
    private String consumerGroup;
    private String resultConsumerGroup;

    public String getTopic() { return topic; }
    public void setTopic(String v) { topic = v; }
    public String getResultTopic() { return resultTopic; }
    public void setResultTopic(String v) { resultTopic = v; }
    public String getProducerGroup() { return producerGroup; }
    public void setProducerGroup(String v) { producerGroup = v; }
    public String getConsumerGroup() { return consumerGroup; }
    public void setConsumerGroup(String v) { consumerGroup = v; }
    public String getResultConsumerGroup() { return resultConsumerGroup; }
    public void setResultConsumerGroup(String v) { resultConsumerGroup = v; }
  }
}
