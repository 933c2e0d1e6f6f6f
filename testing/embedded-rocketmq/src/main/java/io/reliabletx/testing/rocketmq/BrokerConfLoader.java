package io.reliabletx.testing.rocketmq;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads broker.conf entries into RocketMQ's config objects as {@code BrokerStartup} does (each key is given to every
 * object with a matching {@code set<Key>} setter, MixAll.properties2Object's rule), but strictly: the broker itself
 * skips a key no object has and swallows a value its setter cannot take, so a typo in a rendered broker.conf would go
 * unnoticed. Here either one fails.
 */
public final class BrokerConfLoader {
  private static final Set<Class<?>> VALUE_TYPES = Set.of(String.class, int.class, Integer.class, long.class, Long.class,
      boolean.class, Boolean.class, double.class, Double.class, float.class, Float.class);

  private BrokerConfLoader() {}

  public static void load(Map<String, String> entries, Object... configs) {
    List<String> problems = new ArrayList<>();
    entries.forEach((key, value) -> {
      boolean taken = false;
      for (Object config : configs) {
        Method setter = setter(config.getClass(), key);
        if (setter != null) {
          try {
            setter.invoke(config, parse(value.strip(), setter.getParameterTypes()[0]));
            taken = true;
          } catch (IllegalArgumentException | InvocationTargetException | IllegalAccessException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            problems.add(key + " = " + value + ": " + config.getClass().getSimpleName() + " refuses it (" + cause + ")");
            taken = true;
          }
        }
      }
      if (!taken) {
        problems.add(key + ": not a property of RocketMQ's "
            + String.join(", ", java.util.Arrays.stream(configs).map(c -> c.getClass().getSimpleName()).toList()));
      }
    });
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("broker.conf rejected: " + String.join("; ", problems));
    }
  }

  /** The String overload where there is one (enums such as flushDiskType take their name), as the broker does. */
  private static Method setter(Class<?> type, String key) {
    String name = "set" + Character.toUpperCase(key.charAt(0)) + key.substring(1);
    Method found = null;
    for (Method m : type.getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == 1 && VALUE_TYPES.contains(m.getParameterTypes()[0])
          && (found == null || m.getParameterTypes()[0] == String.class)) {
        found = m;
      }
    }
    return found;
  }

  private static Object parse(String value, Class<?> type) {
    if (type == String.class) {
      return value;
    } else if (type == int.class || type == Integer.class) {
      return Integer.parseInt(value);
    } else if (type == long.class || type == Long.class) {
      return Long.parseLong(value);
    } else if (type == double.class || type == Double.class) {
      return Double.parseDouble(value);
    } else if (type == float.class || type == Float.class) {
      return Float.parseFloat(value);
    } else if (value.equals("true") || value.equals("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new IllegalArgumentException("not a boolean: " + value);
  }
}
