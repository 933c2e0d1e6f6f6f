package io.reliabletx.operator.pipeline.spec;

/**
 * Validation of topic and group names. Strict on purpose: letters, digits, '_' and '-' only (RocketMQ also accepts
 * '%' and '|', which it uses for its own retry and system names and which a shell reads as syntax), at most 127.
 * RocketMQ's own topics and groups are refused: a pipeline must not write into the broker's internals. The lists are
 * RocketMQ's (TopicValidator's system topics, the topics the broker creates for itself, MixAll's groups), checked
 * against its jars by ReservedNamesTest; each appears once here, in CEL list syntax, and the Java predicates below
 * read that same text.
 */
final class ServiceNames {
  static final String ROCKETMQ_NAME = "^[a-zA-Z0-9_-]{1,127}$";
  /** Also as maxLength: the API server bounds the cost of the rules below by it. */
  static final int MAX_LENGTH = 127;

  static final String RESERVED_TOPICS = "['TBW102', 'SCHEDULE_TOPIC_XXXX', 'BenchmarkTest', 'OFFSET_MOVED_EVENT',"
      + " 'SELF_TEST_TOPIC', 'CHECKPOINT_TOPIC', 'TRANS_CHECK_MAX_TIME_TOPIC', 'DefaultHeartBeatSyncerTopic']";
  /** rmq_sys_ in any case (RMQ_SYS_TRANS_HALF_TOPIC, rmq_sys_wheel_timer, ...), a broker's member-sync topic. */
  static final String RESERVED_TOPIC_PREFIXES = "['rmq_sys_', 'sync_broker_member_']";
  /** A cluster's request-reply topic: {@code <cluster>_REPLY_TOPIC}. */
  static final String RESERVED_TOPIC_SUFFIX = "_reply_topic";

  static final String RESERVED_TOPIC_RULE = "!(self in " + RESERVED_TOPICS + ") && !" + RESERVED_TOPIC_PREFIXES
      + ".exists(p, self.lowerAscii().startsWith(p)) && !self.lowerAscii().endsWith('" + RESERVED_TOPIC_SUFFIX + "')";
  static final String RESERVED_TOPIC_MESSAGE = "is a RocketMQ system topic (one of " + RESERVED_TOPICS
      + ", or starting with rmq_sys_ or SYNC_BROKER_MEMBER_, or ending in _REPLY_TOPIC): choose another name";

  static final String RESERVED_GROUPS = "['DEFAULT_PRODUCER', 'DEFAULT_CONSUMER', 'CLIENT_INNER_PRODUCER',"
      + " 'TOOLS_CONSUMER', 'SCHEDULE_CONSUMER', 'FILTERSRV_CONSUMER', '__MONITOR_CONSUMER', 'SELF_TEST_P_GROUP',"
      + " 'SELF_TEST_C_GROUP', 'CID_ONS-HTTP-PROXY', 'CID_ONSAPI_PERMISSION', 'CID_ONSAPI_OWNER', 'CID_ONSAPI_PULL']";
  static final String RESERVED_GROUP_PREFIX = "CID_RMQ_SYS_";

  static final String RESERVED_GROUP_RULE = "!self.startsWith('" + RESERVED_GROUP_PREFIX + "') && !(self in "
      + RESERVED_GROUPS + ")";
  static final String RESERVED_GROUP_MESSAGE = "is a RocketMQ system group (one of " + RESERVED_GROUPS
      + ", or starting with " + RESERVED_GROUP_PREFIX + "): choose another name";

  private ServiceNames() {}

  /** What {@link #RESERVED_TOPIC_RULE} refuses. */
  static boolean reservedTopic(String topic) {
    String lower = topic.toLowerCase(java.util.Locale.ROOT);
    return CelList.names(RESERVED_TOPICS).contains(topic)
        || CelList.names(RESERVED_TOPIC_PREFIXES).stream().anyMatch(lower::startsWith)
        || lower.endsWith(RESERVED_TOPIC_SUFFIX);
  }

  /** What {@link #RESERVED_GROUP_RULE} refuses. */
  static boolean reservedGroup(String group) {
    return group.startsWith(RESERVED_GROUP_PREFIX) || CelList.names(RESERVED_GROUPS).contains(group);
  }
}
