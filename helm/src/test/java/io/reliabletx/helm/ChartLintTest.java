package io.reliabletx.helm;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code helm lint --strict}: warnings fail too. */
class ChartLintTest {

  @Test
  void lintStrictIsClean() {
    LintResult result = ChartUnderTest.helm().lint().strict().call();

    assertThat(result.isFailed()).as("helm lint --strict failed: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .as("lint messages other than the chart-icon recommendation")
        .filteredOn(message -> !message.contains("icon is recommended"))
        .noneMatch(message -> message.contains("[WARNING]") || message.contains("[ERROR]"));
  }
}
