package io.reliabletx.helm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.reliabletx.helm.ChartUnderTest.renderText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** values.schema.json turns a wrong value into a readable failure; values.yaml documents every value. */
class ChartValuesSchemaTest {

  @ParameterizedTest(name = "{0}={1} is refused: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      replicaCount           | two              | replicaCount: Invalid type. Expected: integer, given: string
      replicaCount           | 0                | replicaCount: Must be greater than or equal to 1
      image.pullPolicy       | Sometimes        | image.pullPolicy: image.pullPolicy must be one of the following: "Always", "IfNotPresent", "Never"
      image.repository       | ''               | image.repository: String length must be greater than or equal to 1
      logLevel               | LOUD             | logLevel: logLevel must be one of the following
      watchNamespaces[0]     | Team_A           | watchNamespaces.0: Does not match pattern
      watchAnyNamespace      | yes              | watchAnyNamespace: Invalid type. Expected: boolean, given: string
      metrics.port           | 80               | metrics.port: Must be greater than or equal to 1024
      metrics.serviceMonitor.interval | often   | metrics.serviceMonitor.interval: Does not match pattern
      replicas               | 2                | Additional property replicas is not allowed
      image.tags             | latest           | image: Additional property tags is not allowed
      image.tag              | sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef | image.tag: Does not match pattern
      image.tag              | @sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef | image.tag: Does not match pattern
      image.digest           | 0123456789abcdef | image.digest: Does not match pattern
      resources.limits.memory | lots            | resources.limits.memory: Must validate at least one schema
      """)
  void wrongValueIsRefusedWithAMessageNamingIt(String key, String value, String expected) {
    assertThatThrownBy(() -> renderText(Map.of(key, value)))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(expected);
  }

  @Test
  void serviceMonitorWithoutTheServiceItScrapesIsRefused() {
    assertThatThrownBy(() -> renderText(Map.of("metrics.serviceMonitor.enabled", true, "metrics.service.enabled", false)))
        .hasMessageContaining("metrics.serviceMonitor.enabled needs metrics.service.enabled");
  }

  @Test
  void existingServiceAccountNeedsAName() {
    assertThatThrownBy(() -> renderText(Map.of("serviceAccount.create", false)))
        .hasMessageContaining("serviceAccount.name is required when serviceAccount.create is false");
  }

  private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z][\\w.-]*):(.*)$");

  /**
   * Every leaf value in values.yaml has a comment right above it, or sits inside a block whose key has one
   * (a default given as a whole, such as resources or securityContext).
   */
  @Test
  void everyValueInValuesYamlIsCommented() throws IOException {
    List<String> lines = Files.readAllLines(ChartUnderTest.chartDir().resolve("values.yaml"));
    List<String> undocumented = new ArrayList<>();
    Deque<int[]> ancestors = new ArrayDeque<>(); // {indent, documented 0/1}
    for (int i = 0; i < lines.size(); i++) {
      Matcher key = KEY.matcher(lines.get(i));
      if (!key.matches()) {
        continue;
      }
      int indent = key.group(1).length();
      while (!ancestors.isEmpty() && ancestors.peek()[0] >= indent) {
        ancestors.pop();
      }
      boolean commented = i > 0 && lines.get(i - 1).stripLeading().startsWith("#");
      boolean documented = commented || ancestors.stream().anyMatch(a -> a[1] == 1);
      boolean leaf = !key.group(3).isBlank();
      if (leaf && !documented) {
        undocumented.add(key.group(2) + " (line " + (i + 1) + ")");
      }
      ancestors.push(new int[] {indent, documented ? 1 : 0});
    }
    assertThat(undocumented).as("values without a comment").isEmpty();
  }

  @Test
  void everyTopLevelValueIsDeclaredInTheSchema() throws IOException {
    String schema = Files.readString(ChartUnderTest.chartDir().resolve("values.schema.json"));
    List<String> topLevel = Files.readAllLines(ChartUnderTest.chartDir().resolve("values.yaml")).stream()
        .map(KEY::matcher).filter(Matcher::matches).filter(m -> m.group(1).isEmpty()).map(m -> m.group(2)).toList();

    assertThat(topLevel).isNotEmpty().allSatisfy(key -> assertThat(schema).contains("\"" + key + "\":"));
    assertThat(schema).contains("\"additionalProperties\": false");
  }

  @Test
  void schemaRejectsAWrongValuesFileToo(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path values = Files.writeString(dir.resolve("wrong.yaml"), "replicaCount: \"two\"\nimage:\n  pullPolicy: Sometimes\n");

    assertThatThrownBy(() -> ChartUnderTest.helm().template().withName("rtx").withValuesFile(values).call())
        .hasMessageContaining("replicaCount: Invalid type. Expected: integer, given: string")
        .hasMessageContaining("image.pullPolicy must be one of the following");
  }
}
