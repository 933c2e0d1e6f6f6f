package io.reliabletx.operator;

import java.util.Locale;
import java.util.Set;

/** LOG_LEVEL (the chart's logLevel) as the level of the operator's own packages, through slf4j-simple's properties. */
public final class LogLevel {
  static final String PACKAGE = "io.reliabletx";
  static final String PROPERTY = "org.slf4j.simpleLogger.log." + PACKAGE;
  private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error");

  private LogLevel() {}

  /** Sets the level; blank leaves the default (INFO). An unknown level fails at start rather than being ignored. */
  public static void apply(String level) {
    if (level == null || level.isBlank()) {
      return;
    }
    String l = level.strip().toLowerCase(Locale.ROOT);
    if (!LEVELS.contains(l)) {
      throw new IllegalArgumentException("LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR; got " + level);
    }
    System.setProperty(PROPERTY, l);
  }
}
