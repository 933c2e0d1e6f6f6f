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
      + " 'enableSlaveActingMaster', 'enableRemoteEscape', 'allAckInSyncStateSet',"
      + " 'inSyncReplicas', 'minInSyncReplicas', 'totalReplicas', 'brokerIP2', 'haListenPort', 'haMasterAddress',"
      + " 'enableDLegerCommitLog', 'duplicationEnable']";

  /** Keys of RocketMQ's access control: the operator sets them from spec.acl and the credentials Secret. */
  public static final String AUTH_CEL_LIST = "['aclEnable', 'authConfigPath', 'authenticationEnabled',"
      + " 'authenticationProvider', 'authenticationMetadataProvider', 'authenticationStrategy',"
      + " 'authenticationWhitelist', 'initAuthenticationUser', 'innerClientAuthenticationCredentials',"
      + " 'authorizationEnabled', 'authorizationProvider', 'authorizationMetadataProvider', 'authorizationStrategy',"
      + " 'authorizationWhitelist', 'migrateAuthFromV1Enabled']";

  /**
   * Keys a broker reads that would stop the data plane or escape the pod: refuse transactional messages or writes,
   * bind where no client reaches it, need subscription groups nobody creates, speak TLS to plain clients, load a
   * class or read files from elsewhere, or fetch the name servers from an address server. Besides these, prefixes:
   * {@link #REFUSED_PREFIXES}.
   */
  public static final String STOPS_DATA_PLANE_CEL_LIST = "['rejectTransactionMessage', 'brokerPermission',"
      + " 'bindAddress', 'autoCreateSubscriptionGroup', 'useTLS', 'messageStorePlugIn', 'rocketmqHome',"
      + " 'fetchNamesrvAddrByAddressServer', 'readOnlyCommitLogStorePaths', 'brokerConfigPath',"
      + " 'compactionMappedFileSize', 'compactionCqMappedFileSize', 'mapperFileSizeBatchConsumeQueue']";

  /**
   * Key prefixes refused: the store's paths (it lives on the pipeline's volume), the sizes of its files (a live store
   * does not load under other sizes) and DLedger's settings (a replication mode the operator does not run).
   */
  public static final String REFUSED_PREFIXES_CEL_LIST = "['storePath', 'mappedFileSize', 'dLeger']";

  public static final List<String> AUTH_KEYS = CelList.names(AUTH_CEL_LIST);

  public static final List<String> HA_KEYS = CelList.names(HA_CEL_LIST);

  public static final List<String> KEYS = CelList.names(CEL_LIST);

  public static final List<String> STOPS_DATA_PLANE_KEYS =
      CelList.names(STOPS_DATA_PLANE_CEL_LIST);

  public static final List<String> REFUSED_PREFIXES =
      CelList.names(REFUSED_PREFIXES_CEL_LIST);

  private BrokerOwnedKeys() {}

  private static final List<String> ALLOWED =
      CelList.names(BrokerExtraConfigKeys.CEL_LIST);

  /** Whether extraConfig accepts {@code key}: a broker.conf key RocketMQ reads that {@link #refused} does not name. */
  public static boolean allowed(String key) {
    return ALLOWED.contains(key);
  }

  /** Whether extraConfig refuses {@code key}: every list and prefix above (the CRD's rules in BrokerSpec). */
  public static boolean refused(String key) {
    return KEYS.contains(key) || HA_KEYS.contains(key) || AUTH_KEYS.contains(key) || STOPS_DATA_PLANE_KEYS.contains(key)
        || REFUSED_PREFIXES.stream().anyMatch(key::startsWith);
  }
}
