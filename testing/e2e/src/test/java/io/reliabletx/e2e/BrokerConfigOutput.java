package io.reliabletx.e2e;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code key = value} lines that {@code mqadmin getBrokerConfig} prints (after a header per broker). */
final class BrokerConfigOutput {
  private BrokerConfigOutput() {}

  static Map<String, String> parse(String out) {
    Map<String, String> config = new LinkedHashMap<>();
    for (String line : out.split("\\R")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        config.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      }
    }
    if (config.isEmpty()) {
      throw new IllegalStateException("mqadmin getBrokerConfig printed no configuration:\n" + out);
    }
    return config;
  }
}
