package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The chart's logLevel (LOG_LEVEL) sets the level of the operator's own loggers. */
class LogLevelTest {
  @Test
  void logLevelSetsTheOperatorsPackages() {
    String before = System.getProperty(LogLevel.PROPERTY);
    try {
      LogLevel.apply("DEBUG");
      assertThat(LoggerFactory.getLogger("io.reliabletx.operator.loglevel.Debug").isDebugEnabled()).isTrue();
      LogLevel.apply("warn");
      assertThat(LoggerFactory.getLogger("io.reliabletx.operator.loglevel.Warn").isInfoEnabled()).isFalse();
      assertThatThrownBy(() -> LogLevel.apply("LOUD")).hasMessageContaining("LOG_LEVEL must be one of");
    } finally {
      if (before == null) {
        System.clearProperty(LogLevel.PROPERTY);
      } else {
        System.setProperty(LogLevel.PROPERTY, before);
      }
    }
  }
}
