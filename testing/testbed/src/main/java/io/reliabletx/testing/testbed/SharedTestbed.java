package io.reliabletx.testing.testbed;

/**
 * One {@link Testbed} per JVM, started on first use and closed when the JVM exits: test classes share it (and
 * clean their own data) instead of paying MariaDB and broker start-up per class.
 */
public final class SharedTestbed {
  private static Testbed instance;

  private SharedTestbed() {
  }

  public static synchronized Testbed get() {
    if (instance == null) {
      instance = Testbed.start();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::close, "shared-testbed-shutdown"));
    }
    return instance;
  }
}
