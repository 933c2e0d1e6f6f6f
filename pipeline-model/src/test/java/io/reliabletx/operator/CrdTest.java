package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** crds/ holds the committed copy of the CRD that the build generates from the Java model. */
class CrdTest {
  static final String FILE = "reliabletxpipelines.reliabletx.io-v1.yml";

  static Path generated() {
    return Path.of("target/classes/META-INF/fabric8", FILE);
  }

  static Path committed() {
    return Path.of(System.getProperty("crds.dir", "../crds"), FILE);
  }

  @Test
  void committedCrdEqualsTheGeneratedOne() throws Exception {
    assertThat(Files.readString(committed()))
        .as("crds/%s is stale: copy %s over it", FILE, generated())
        .isEqualTo(Files.readString(generated()));
  }

  @Test
  void crdCarriesTheApiNamesAndCelRules() throws Exception {
    String crd = Files.readString(generated());
    assertThat(crd).contains("group: \"reliabletx.io\"").contains("name: \"v1alpha1\"")
        .contains("- \"rtp\"").contains("scope: \"Namespaced\"").contains("status: {}")
        .contains("self.opBatchIntervalMillis < self.timeoutMillis")
        .contains("self.checkMax >= 4")
        .contains("autoCreateTopicEnable");
  }
}
