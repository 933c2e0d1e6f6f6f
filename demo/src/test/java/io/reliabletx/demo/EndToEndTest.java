package io.reliabletx.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Both services on real MariaDB and RocketMQ, driven over HTTP by concurrent clients, then checked. */
class EndToEndTest {

  @Test
  void concurrentOrdersOnOneProductNeverOversellAndEveryOrderEndsConfirmedOrCancelled() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    // 200 orders of 1 unit for 60 in stock: exactly 60 confirmed, 140 cancelled by compensation, stock 0.
    Demo.Outcome outcome = Demo.run(new Demo.Scenario(200, 1, 60, 1, 24, 20),
        new PrintStream(buffer, true, StandardCharsets.UTF_8));
    String printed = buffer.toString(StandardCharsets.UTF_8);

    assertThat(outcome.accepted()).as(printed).isEqualTo(200);
    assertThat(outcome.report().holds()).as(printed).isTrue();
    assertThat(outcome.report().confirmed()).as(printed).isEqualTo(60);
    assertThat(outcome.report().cancelled()).as(printed).isEqualTo(140);
    assertThat(outcome.report().unitsDeducted()).isEqualTo(60);
    assertThat(outcome.duplicatesAbsorbed()).as(printed).isGreaterThanOrEqualTo(20);
    assertThat(printed).contains("invariants: lost=0 duplicated=0 negative=0 unresolved=0 mismatched=0 -> HOLD");
  }

  @Test
  void scenarioOptionsAreValidated() {
    assertThat(Demo.Scenario.parse(new String[] {"--orders", "10", "--products", "2"}))
        .isEqualTo(new Demo.Scenario(10, 2, 5, 3, 32, 10));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Demo.Scenario.parse(new String[] {"--orders", "0"}))
        .hasMessageContaining("--orders must be positive");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Demo.Scenario.parse(new String[] {"--colour", "red"}))
        .hasMessageContaining("unknown option");
  }
}
