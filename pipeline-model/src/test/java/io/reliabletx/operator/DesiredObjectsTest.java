package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.PipelineChildren;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden files of every object the operator wants for an example pipeline: one YAML file per child
 * ({@link PipelineChildren}), as its desired state (before the operator adds owner references). Regenerate with
 * {@code -Dgolden.update=true} and review the diff: it shows what a change does to the children.
 */
class DesiredObjectsTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE))
      // Map.of iterates in an order that changes from one JVM to the next.
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** The desired objects of {@code p}, the generated passwords masked: the file shows which are generated, not what. */
  static Map<String, HasMetadata> desired(ReliableTxPipeline p) {
    Map<String, HasMetadata> objects = PipelineChildren.of(p);
    if (objects.get(PipelineChildren.CREDENTIALS) instanceof Secret secret) {
      secret.getData().replaceAll((key, value) -> key.endsWith("-password") ? "<generated>" : value);
    }
    return objects;
  }

  @ParameterizedTest
  @ValueSource(strings = {"minimal", "custom"})
  void everyDesiredObjectMatchesItsGoldenFile(String example) throws Exception {
    Map<String, HasMetadata> objects = desired(Pipelines.example(example + ".yaml", "shop"));
    Path dir = Path.of("src/test/resources/golden", example);
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(dir);
      try (Stream<Path> old = Files.list(dir)) {
        for (Path file : old.toList()) {
          Files.delete(file);
        }
      }
      for (Map.Entry<String, HasMetadata> o : objects.entrySet()) {
        Files.writeString(dir.resolve(o.getKey() + ".yaml"), YAML.writeValueAsString(o.getValue()));
      }
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(new TreeSet<>(files.map(f -> f.getFileName().toString()).toList()))
          .as("one golden file per desired object in %s", dir)
          .isEqualTo(new TreeSet<>(objects.keySet().stream().map(name -> name + ".yaml").toList()));
    }
    for (Map.Entry<String, HasMetadata> o : objects.entrySet()) {
      assertThat(YAML.writeValueAsString(o.getValue())).as("%s/%s.yaml", dir, o.getKey())
          .isEqualTo(Files.readString(dir.resolve(o.getKey() + ".yaml")));
    }
  }
}
