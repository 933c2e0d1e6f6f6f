package io.reliabletx.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The promise under fire. Size from -Dfaults.orders and -Dfaults.min (CI: 2,000 orders, at least 20 faults; a
 * larger run: mvn -pl testing/fault-suite test -Dfaults.orders=10000 -Dfaults.min=100).
 */
@Tag("faults")
class FaultSuiteTest {

  @Test
  void noOrderIsLostOrDoubledWhateverIsKilled() throws Exception {
    int orders = Integer.getInteger("faults.orders", 2000);
    int minFaults = Integer.getInteger("faults.min", 20);
    FaultSuite.Result result = run(orders, minFaults, true, "fault-suite-summary.txt");
    assertPromiseKept(result, orders, minFaults);
  }

  /**
   * The mechanism without its safety net: the pending-order resender is off, so every transaction whose COMMIT or
   * ROLLBACK never reached the broker must be settled by check-back alone.
   */
  @Test
  void checkBackAloneSettlesEveryTransaction() throws Exception {
    int orders = Integer.getInteger("faults.checkback.orders", 1000);
    int minFaults = Integer.getInteger("faults.checkback.min", 10);
    FaultSuite.Result result = run(orders, minFaults, false, "fault-suite-checkback-summary.txt");
    assertThat(result.resent()).as(result.summaryLine()).isZero();
    assertPromiseKept(result, orders, minFaults);
  }

  private static FaultSuite.Result run(int orders, int minFaults, boolean resender, String summaryFile)
      throws Exception {
    Path work = Path.of("target", "fault-suite-" + Instant.now().toEpochMilli());
    FaultSuite.Result result = new FaultSuite(new FaultSuite.Config(orders, minFaults, 16, work, 7, resender),
        line -> System.out.println("[fault-suite] " + line)).run();
    System.out.println("[fault-suite] " + (resender ? "" : "(resender off) ") + result.summaryLine());
    // The problems too: surefire shows the test's stdout only once the whole class has run.
    Files.writeString(Path.of("target", summaryFile), result.summaryLine() + System.lineSeparator()
        + String.join(System.lineSeparator(), result.report().problems()) + System.lineSeparator());
    return result;
  }

  private static void assertPromiseKept(FaultSuite.Result result, int orders, int minFaults) throws Exception {
    String summary = result.summaryLine();
    System.out.println("[fault-suite] faults by kind: " + result.faults());
    System.out.println("[fault-suite] problems: " + result.report().problems());
    System.out.println("[fault-suite] " + summary + " elapsed=" + result.elapsed().toSeconds() + "s");

    assertThat(result.accepted()).as(summary).isGreaterThanOrEqualTo(orders);
    assertThat(result.totalFaults()).as(summary).isGreaterThanOrEqualTo(minFaults);
    assertThat(result.faults().keySet()).as("every named point was hit").containsAll(
        FaultSuite.NAMED_POINTS.stream().map(FaultSuite::killedAt).toList());
    assertThat(result.emptySuccesses()).as("2xx answers without an order (a service must never send one)").isEmpty();
    assertThat(result.report().holds()).as(summary + " " + result.report().problems()).isTrue();
    assertThat(summary).contains("lost=0 duplicated=0 negative=0 mismatched=0 unresolved=0");
    assertThat(result.retried()).as("clients retried with their keys through the faults").isPositive();

    // Security: the services' database passwords appear in no log the suite produced.
    for (Path log : result.logs()) {
      String text = Files.readString(log);
      for (String secret : result.secrets()) {
        assertThat(text).as(log + " leaks a database password").doesNotContain(secret);
      }
    }
  }
}
