package io.reliabletx.operator.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;
import java.util.TreeMap;

/**
 * RocketMQ Broker: the broker.conf keys of the reference tutorial plus the pod settings. One broker group
 * ({@code brokerName}) of {@code replicas} pods: pod 0 is the master, the others its slaves (static master/slave; the
 * README's "Broker high availability" says why not the controller mode). Each pod's role is derived from its ordinal.
 */
@ValidationRule(value = "self.brokerRole != 'SLAVE'",
    message = "broker.brokerRole SLAVE is no longer accepted: roles are derived, pod 0 is the master (brokerRole gives"
        + " its ASYNC_MASTER or SYNC_MASTER) and pods 1.. are its slaves; set broker.replicas to 2 or 3 for slaves",
    fieldPath = ".brokerRole", reason = "FieldValueInvalid")
@ValidationRule(value = Heap.BELOW_MEMORY_LIMIT_RULE, message = "broker." + Heap.BELOW_MEMORY_LIMIT_MESSAGE,
    fieldPath = ".heapSize", reason = "FieldValueInvalid")
public class BrokerSpec extends PodSettings {
  /**
   * CEL over an extraConfig key {@code k}: a key of the generated allow-list, or one another rule refuses with its own
   * message (owned, high availability, access control, the prefixes).
   */
  static final String KNOWN_OR_REFUSED_ELSEWHERE = "k in " + BrokerExtraConfigKeys.CEL_LIST + " || k in "
      + BrokerOwnedKeys.CEL_LIST + " || k in " + BrokerOwnedKeys.HA_CEL_LIST + " || k in " + BrokerOwnedKeys.AUTH_CEL_LIST
      + " || " + BrokerOwnedKeys.REFUSED_PREFIXES_CEL_LIST + ".exists(p, k.startsWith(p))";

  public static final String DEFAULT_IMAGE = "apache/rocketmq:5.3.3";

  @JsonPropertyDescription("broker.conf brokerClusterName.")
  @Pattern("^[A-Za-z0-9_-]{1,64}$")
  @Default("DefaultCluster")
  private String brokerClusterName = "DefaultCluster";

  @JsonPropertyDescription("broker.conf brokerName.")
  @Pattern("^[A-Za-z0-9_-]{1,64}$")
  @Default("broker-a")
  private String brokerName = "broker-a";

  @JsonPropertyDescription("Pods of the broker group: 1 (a master alone), or 2-3 (the master, pod 0, and 1-2 slaves"
      + " replicating its store, each placed away from it when the nodes allow). It cannot be lowered on a live"
      + " pipeline. A slave keeps every message and serves reads while the master is down; sends wait for the master's"
      + " pod to come back (static master/slave: no automatic promotion).")
  @Min(1) @Max(3)
  @Default("1")
  @ValidationRule(value = "self >= oldSelf",
      message = "broker.replicas cannot be lowered on a live pipeline: a removed slave's store and its place in the"
          + " master's replication would be dropped while orders flow, and the operator does not drain it first;"
          + " keep the replicas, or delete and re-create the pipeline",
      reason = "FieldValueForbidden")
  private int replicas = 1;

  @JsonPropertyDescription("broker.conf brokerRole of the master (pod 0): ASYNC_MASTER or SYNC_MASTER. With replicas >= 2,"
      + " SYNC_MASTER acknowledges a message only once a slave has it (inSyncReplicas 2: while no slave is in sync,"
      + " sends fail after 3 s and the order service answers 503); ASYNC_MASTER acknowledges at once and the slaves"
      + " trail. Slaves are derived (brokerRole SLAVE, brokerId = pod ordinal); the value SLAVE is refused.")
  @Default("ASYNC_MASTER")
  private BrokerRole brokerRole = BrokerRole.ASYNC_MASTER;

  @JsonPropertyDescription("broker.conf flushDiskType: ASYNC_FLUSH or SYNC_FLUSH.")
  @Default("ASYNC_FLUSH")
  private FlushDiskType flushDiskType = FlushDiskType.ASYNC_FLUSH;

  @JsonPropertyDescription("broker.conf deleteWhen: hour of day (00-23) at which expired commit log files are deleted.")
  @Pattern("^([01][0-9]|2[0-3])$")
  @Default("04")
  private String deleteWhen = "04";

  @JsonPropertyDescription("broker.conf fileReservedTime: hours a commit log file is kept (1-8760).")
  @Min(1) @Max(8760)
  @Default("48")
  private int fileReservedTime = 48;

  @JsonPropertyDescription("broker.conf diskMaxUsedSpaceRatio: percent of the disk the store may fill (10-95).")
  @Min(10) @Max(95)
  @Default("88")
  private int diskMaxUsedSpaceRatio = 88;

  @JsonPropertyDescription("Broker image; runs `sh mqbroker -c /home/rocketmq/conf/broker.conf`.")
  @Default(DEFAULT_IMAGE)
  private String image = DEFAULT_IMAGE;

  @JsonPropertyDescription("JVM heap (-Xms/-Xmx), e.g. 512m or 2g.")
  @ValidationRule(value = Heap.PATTERN_RULE, message = "broker." + Heap.PATTERN_MESSAGE, reason = "FieldValueInvalid")
  @Size(max = 8)
  @Default("512m")
  private String heapSize = "512m";

  @JsonPropertyDescription("Volume of the message store.")
  @Default("{}")
  private StorageSpec storage = new StorageSpec("10Gi");

  @JsonPropertyDescription("More broker.conf entries, rendered after the operator's own keys. The keys the operator sets"
      + " cannot be given here, and autoCreateTopicEnable cannot be true: topics are created explicitly.")
  @ValidationRule(value = "self.all(k, !(k in " + BrokerOwnedKeys.CEL_LIST + "))",
      message = "extraConfig may not set a key the operator owns (brokerClusterName, brokerName, brokerId, brokerRole,"
          + " flushDiskType, deleteWhen, fileReservedTime, diskMaxUsedSpaceRatio, namesrvAddr, brokerIP1, listenPort,"
          + " storePathRootDir, storePathCommitLog, transaction*): use the spec field instead",
      reason = "FieldValueForbidden")
  @ValidationRule(value = "self.all(k, k.matches('^[a-zA-Z][a-zA-Z0-9]{0,127}$') && !"
      + BrokerOwnedKeys.REFUSED_PREFIXES_CEL_LIST + ".exists(p, k.startsWith(p)))",
      message = "extraConfig keys must be broker.conf property names (a letter, then letters or digits, at most 128)"
          + " and may not move the store (storePath*: it lives on the pipeline's volume), resize its files"
          + " (mappedFileSize*: a live store no longer loads) or configure DLedger (dLeger*)",
      reason = "FieldValueInvalid")
  @ValidationRule(value = "self.all(k, " + BrokerSpec.KNOWN_OR_REFUSED_ELSEWHERE + ")",
      message = "extraConfig keys must be broker.conf settings the broker reads (a misspelt key is ignored by the broker)"
          + " and that leave the data plane running (refused: " + BrokerOwnedKeys.STOPS_DATA_PLANE_CEL_LIST + ")",
      reason = "FieldValueInvalid")
  @ValidationRule(value = "self.all(k, !self[k].contains('\\n') && !self[k].contains('\\r') && !self[k].contains('\\\\'))",
      message = "extraConfig values may not contain a line break or a backslash: broker.conf is a properties file,"
          + " where either would start or continue another key",
      reason = "FieldValueForbidden")
  @ValidationRule(value = "!self.exists(k, k in " + BrokerOwnedKeys.HA_CEL_LIST + ")",
      message = "extraConfig may not switch the broker's high-availability mode (enableControllerMode,"
          + " controllerAddr, enableSlaveActingMaster, inSyncReplicas, brokerIP2, haListenPort, ...): a pipeline runs"
          + " static master/slave, derived from broker.replicas and broker.brokerRole; the controller mode is out of"
          + " scope (see the README's \"Broker high availability\")",
      reason = "FieldValueForbidden")
  @ValidationRule(value = "!self.exists(k, k in " + BrokerOwnedKeys.AUTH_CEL_LIST + ")",
      message = "extraConfig may not set RocketMQ's access control (aclEnable, authenticationEnabled,"
          + " initAuthenticationUser, authorization*, ...): use spec.acl, whose users come from the credentials Secret",
      reason = "FieldValueForbidden")
  @ValidationRule(value = "!('autoCreateTopicEnable' in self) || self['autoCreateTopicEnable'] == 'false'",
      message = "extraConfig.autoCreateTopicEnable may only be 'false': the operator creates the topics explicitly",
      reason = "FieldValueForbidden")
  @Size(max = 64)
  private Map<String, @Size(max = 1024) @Pattern("^[^\\n\\r\\\\]*$") String> extraConfig = new TreeMap<>();

  public String getBrokerClusterName() { return brokerClusterName; }
  public void setBrokerClusterName(String v) { brokerClusterName = v; }
  public String getBrokerName() { return brokerName; }
  public void setBrokerName(String v) { brokerName = v; }
  public int getReplicas() { return replicas; }
  public void setReplicas(int v) { replicas = v; }
  public BrokerRole getBrokerRole() { return brokerRole; }
  public void setBrokerRole(BrokerRole v) { brokerRole = v; }
  public FlushDiskType getFlushDiskType() { return flushDiskType; }
  public void setFlushDiskType(FlushDiskType v) { flushDiskType = v; }
  public String getDeleteWhen() { return deleteWhen; }
  public void setDeleteWhen(String v) { deleteWhen = v; }
  public int getFileReservedTime() { return fileReservedTime; }
  public void setFileReservedTime(int v) { fileReservedTime = v; }
  public int getDiskMaxUsedSpaceRatio() { return diskMaxUsedSpaceRatio; }
  public void setDiskMaxUsedSpaceRatio(int v) { diskMaxUsedSpaceRatio = v; }
  public String getImage() { return image; }
  public void setImage(String v) { image = v; }
  public String getHeapSize() { return heapSize; }
  public void setHeapSize(String v) { heapSize = v; }
  public StorageSpec getStorage() { return storage; }
  public void setStorage(StorageSpec v) { storage = v == null ? new StorageSpec("10Gi") : v; }
  public Map<String, String> getExtraConfig() { return extraConfig; }
  public void setExtraConfig(Map<String, String> v) { extraConfig = v == null ? new TreeMap<>() : new TreeMap<>(v); }
}
