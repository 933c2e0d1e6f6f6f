package io.reliabletx.operator.pipeline.spec;

/** Validation pattern shared by topic and group names (RocketMQ: letters, digits, %, |, _ and -; at most 127). */
final class ServiceNames {
  static final String ROCKETMQ_NAME = "^[%|a-zA-Z0-9_-]{1,127}$";

  private ServiceNames() {}
}
