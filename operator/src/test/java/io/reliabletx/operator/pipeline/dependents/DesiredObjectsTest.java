package io.reliabletx.operator.pipeline.dependents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.reliabletx.operator.Pipelines;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.reconciler.ReliableTxPipelineReconciler;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden files of every object the operator wants for an example pipeline: one YAML file per dependent of the
 * reconciler's workflow, as its desired state (before JOSDK adds owner references). Regenerate with
 * {@code -Dgolden.update=true} and review the diff: it shows what a change does to the children.
 */
class DesiredObjectsTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE))
      // Map.of iterates in an order that changes from one JVM to the next.
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** The desired object of each dependent the workflow runs for {@code p}, by dependent name. */
  static Map<String, HasMetadata> desired(ReliableTxPipeline p) throws Exception {
    Map<String, HasMetadata> objects = new LinkedHashMap<>();
    for (Dependent d : ReliableTxPipelineReconciler.class.getAnnotation(Workflow.class).dependents()) {
      if (!met(d.reconcilePrecondition(), p) || !met(d.activationCondition(), p)) {
        continue;
      }
      HasMetadata object;
      if (d.type() == CredentialsDependent.class) {
        // Random passwords: the golden file shows which are generated, not what.
        Secret secret = CredentialsDependent.secret(p, Map.of());
        secret.getData().replaceAll((key, value) -> key.endsWith("-password") ? "<generated>" : value);
        object = secret;
      } else {
        Method desired = d.type().getDeclaredMethod("desired", ReliableTxPipeline.class, Context.class);
        desired.setAccessible(true);
        object = (HasMetadata) desired.invoke(d.type().getDeclaredConstructor().newInstance(), p, null);
      }
      objects.put(d.name(), object);
    }
    return objects;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static boolean met(Class<? extends Condition> condition, ReliableTxPipeline p) throws Exception {
    // The workflow's conditions that decide whether a child exists read only the pipeline.
    return condition == Condition.class
        || condition.getDeclaredConstructor().newInstance().isMet(null, p, null);
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
