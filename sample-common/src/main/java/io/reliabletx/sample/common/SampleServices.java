package io.reliabletx.sample.common;

/** Start-up details both services' {@code main} share. */
public final class SampleServices {
  private SampleServices() {
  }

  /**
   * RocketMQ's client jars bring a second SLF4J provider (a bridge for their shaded logging), so SLF4J warns about
   * two providers at every start. Naming Spring Boot's Logback explicitly selects it without the scan.
   */
  public static void preferLogback() {
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", "ch.qos.logback.classic.spi.LogbackServiceProvider");
      System.setProperty("slf4j.internal.verbosity", "WARN"); // else SLF4J announces the choice at INFO
    }
  }
}
