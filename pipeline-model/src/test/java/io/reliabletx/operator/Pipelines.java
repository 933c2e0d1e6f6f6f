package io.reliabletx.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test fixtures: pipelines from the examples directory or built in code. */
public final class Pipelines {
  private Pipelines() {}

  public static Path examplesDir() {
    return Path.of(System.getProperty("examples.dir", "../examples"));
  }

  public static ReliableTxPipeline example(String file, String namespace) {
    try {
      ReliableTxPipeline p = Serialization.unmarshal(Files.readString(examplesDir().resolve(file)), ReliableTxPipeline.class);
      p.getMetadata().setNamespace(namespace);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ReliableTxPipeline defaults(String name, String namespace) {
    ReliableTxPipeline p = new ReliableTxPipeline();
    p.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    p.setSpec(new io.reliabletx.operator.pipeline.spec.ReliableTxPipelineSpec());
    return p;
  }
}
