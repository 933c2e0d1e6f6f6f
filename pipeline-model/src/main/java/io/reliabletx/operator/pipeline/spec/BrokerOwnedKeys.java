package io.reliabletx.operator.pipeline.spec;

import java.util.List;

/** broker.conf keys that the operator renders itself and that extraConfig therefore may not set. */
public final class BrokerOwnedKeys {
  /** Kept in one place: the CEL rule below is built from the same text (annotation values must be constants). */
  public static final String CEL_LIST = "['brokerClusterName', 'brokerName', 'brokerId', 'brokerRole', 'flushDiskType',"
      + " 'deleteWhen', 'fileReservedTime', 'diskMaxUsedSpaceRatio', 'namesrvAddr', 'brokerIP1', 'listenPort',"
      + " 'storePathRootDir', 'storePathCommitLog', 'transactionCheckInterval', 'transactionTimeOut',"
      + " 'transactionCheckMax', 'transactionOpBatchInterval', 'fetchNameSrvAddrByDnsLookup',"
      + " 'updateNameServerAddrPeriod']";

  /**
   * Keys that would change how the broker group replicates or fails over: the operator derives them (static
   * master/slave) or, for the controller and slave-acting-master modes, refuses them.
   */
  public static final String HA_CEL_LIST = "['enableControllerMode', 'controllerAddr', 'fetchControllerAddrByDnsLookup',"
      + " 'controllerDeployedByContainer', 'enableSlaveActingMaster', 'enableRemoteEscape', 'allAckInSyncStateSet',"
      + " 'inSyncReplicas', 'minInSyncReplicas', 'totalReplicas', 'brokerIP2', 'haListenPort', 'haMasterAddress',"
      + " 'enableDLegerCommitLog', 'duplicationEnable']";

  /** Keys of RocketMQ's access control: the operator sets them from spec.acl and the credentials Secret. */
  public static final String AUTH_CEL_LIST = "['aclEnable', 'authConfigPath', 'authenticationEnabled',"
      + " 'authenticationProvider', 'authenticationMetadataProvider', 'authenticationStrategy',"
      + " 'authenticationWhitelist', 'initAuthenticationUser', 'innerClientAuthenticationCredentials',"
      + " 'authorizationEnabled', 'authorizationProvider', 'authorizationMetadataProvider', 'authorizationStrategy',"
      + " 'authorizationWhitelist', 'migrateAuthFromV1Enabled']";

  public static final List<String> AUTH_KEYS = List.of(AUTH_CEL_LIST.replaceAll("[\\[\\]' ]", "").split(","));

  public static final List<String> HA_KEYS = List.of(HA_CEL_LIST.replaceAll("[\\[\\]' ]", "").split(","));

  public static final List<String> KEYS = List.of(CEL_LIST.replaceAll("[\\[\\]' ]", "").split(","));

  private BrokerOwnedKeys() {}
}
