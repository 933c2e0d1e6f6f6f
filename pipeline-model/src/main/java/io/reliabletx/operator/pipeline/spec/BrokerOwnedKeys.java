package io.reliabletx.operator.pipeline.spec;

import java.util.List;

/** broker.conf keys that the operator renders itself and that extraConfig therefore may not set. */
public final class BrokerOwnedKeys {
  /** Kept in one place: the CEL rule below is built from the same text (annotation values must be constants). */
  public static final String CEL_LIST = "['brokerClusterName', 'brokerName', 'brokerId', 'brokerRole', 'flushDiskType',"
      + " 'deleteWhen', 'fileReservedTime', 'diskMaxUsedSpaceRatio', 'namesrvAddr', 'brokerIP1', 'listenPort',"
      + " 'storePathRootDir', 'storePathCommitLog', 'transactionCheckInterval', 'transactionTimeOut',"
      + " 'transactionCheckMax', 'transactionOpBatchInterval']";

  public static final List<String> KEYS = List.of(CEL_LIST.replaceAll("[\\[\\]' ]", "").split(","));

  private BrokerOwnedKeys() {}
}
