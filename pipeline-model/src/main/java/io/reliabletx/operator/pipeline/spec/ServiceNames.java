package io.reliabletx.operator.pipeline.spec;

/**
 * Validation of topic and group names. Strict on purpose: letters, digits, '_' and '-' only (RocketMQ also accepts
 * '%' and '|', which it uses for its own retry and system names and which a shell reads as syntax), at most 127.
 * RocketMQ's own topics and groups are refused: a pipeline must not write into the broker's internals.
 */
final class ServiceNames {
  static final String ROCKETMQ_NAME = "^[a-zA-Z0-9_-]{1,127}$";

  static final String RESERVED_TOPIC_RULE = "!self.lowerAscii().startsWith('rmq_sys_') && !(self in ['TBW102',"
      + " 'SCHEDULE_TOPIC_XXXX', 'BenchmarkTest', 'OFFSET_MOVED_EVENT', 'SELF_TEST_TOPIC', 'DefaultHeartBeatSyncerTopic'])";
  static final String RESERVED_TOPIC_MESSAGE = "is a RocketMQ system topic (TBW102, SCHEDULE_TOPIC_XXXX, BenchmarkTest,"
      + " OFFSET_MOVED_EVENT, SELF_TEST_TOPIC, DefaultHeartBeatSyncerTopic or rmq_sys_*): choose another name";

  static final String RESERVED_GROUP_RULE = "!self.startsWith('CID_RMQ_SYS_') && !(self in ['DEFAULT_PRODUCER',"
      + " 'DEFAULT_CONSUMER', 'CLIENT_INNER_PRODUCER', 'TOOLS_CONSUMER', 'FILTERSRV_CONSUMER', 'SELF_TEST_P_GROUP',"
      + " 'SELF_TEST_C_GROUP', 'CID_ONS-HTTP-PROXY', 'CID_ONSAPI_PERMISSION', 'CID_ONSAPI_OWNER', 'CID_ONSAPI_PULL'])";
  static final String RESERVED_GROUP_MESSAGE = "is a RocketMQ system group (DEFAULT_PRODUCER, DEFAULT_CONSUMER,"
      + " CLIENT_INNER_PRODUCER, TOOLS_CONSUMER, FILTERSRV_CONSUMER, SELF_TEST_*_GROUP, CID_ONS*, CID_RMQ_SYS_*):"
      + " choose another name";

  private ServiceNames() {}
}
