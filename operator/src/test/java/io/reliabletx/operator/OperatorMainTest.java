package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorMainTest {
  @Test
  void watchNamespacesAndEnvAliases() {
    assertThat(OperatorMain.parseNamespaces("")).isEmpty();
    assertThat(OperatorMain.parseNamespaces(" a, b ,,")).containsExactlyInAnyOrder("a", "b");
    assertThat(OperatorMain.firstOf(Map.of("LEADER_ELECTION_ENABLED", "true"), "false", "LEADER_ELECTION",
        "LEADER_ELECTION_ENABLED")).isEqualTo("true");
    assertThat(OperatorMain.firstOf(Map.of(), "8080", "HTTP_PORT", "METRICS_PORT")).isEqualTo("8080");
  }
}
