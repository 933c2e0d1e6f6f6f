package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.brokerconf.BrokerConfig;
import io.reliabletx.operator.pipeline.dependents.BrokerDependent;
import io.reliabletx.operator.pipeline.PipelineNames;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Golden broker.conf files: regenerate with -Dgolden.update=true and review the diff. */
class BrokerConfigTest {
  @ParameterizedTest
  @ValueSource(strings = {"minimal", "custom"})
  void rendersTheGoldenFile(String example) throws Exception {
    ReliableTxPipeline p = Pipelines.example(example + ".yaml", "shop");
    String rendered = BrokerConfig.of(p.getSpec(), new PipelineNames(p)).render();
    Path golden = Path.of("src/test/resources/golden/" + example + ".broker.conf");
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, rendered);
    }
    assertThat(rendered).isEqualTo(Files.readString(golden));
  }

  @Test
  void neverEnablesTopicAutoCreationAndKeepsOwnedKeys() {
    ReliableTxPipeline p = Pipelines.defaults("x", "ns");
    p.getSpec().getBroker().getExtraConfig().put("autoCreateTopicEnable", "true");
    p.getSpec().getBroker().getExtraConfig().put("brokerName", "evil");
    p.getSpec().getBroker().getExtraConfig().put("maxMessageSize", "65536");
    BrokerConfig c = BrokerConfig.of(p.getSpec(), new PipelineNames(p));
    assertThat(c.entries()).containsEntry("autoCreateTopicEnable", "false").containsEntry("brokerName", "broker-a")
        .containsEntry("maxMessageSize", "65536");
  }

  /** The API server refuses these; an object that bypassed validation still cannot reach an owned key. */
  @Test
  void anExtraEntryCannotWriteAnotherLine() {
    ReliableTxPipeline p = Pipelines.defaults("x", "ns");
    p.getSpec().getBroker().getExtraConfig().put("sendMessageThreadPoolNums", "8\nautoCreateTopicEnable = true");
    p.getSpec().getBroker().getExtraConfig().put("pullMessageThreadPoolNums", "8\rbrokerName = evil");
    p.getSpec().getBroker().getExtraConfig().put("adminBrokerThreadPoolNums", "8\\");
    p.getSpec().getBroker().getExtraConfig().put("brokerName = evil\nx", "1");
    String conf = BrokerConfig.of(p.getSpec(), new PipelineNames(p)).render();
    assertThat(conf).contains("autoCreateTopicEnable = false").doesNotContain("autoCreateTopicEnable = true")
        .doesNotContain("evil").doesNotContain("ThreadPoolNums");
  }

  @Test
  void aConfigChangeChangesThePodTemplateHash() {
    ReliableTxPipeline p = Pipelines.defaults("x", "ns");
    String before = BrokerDependent.build(p).getSpec().getTemplate().getMetadata().getAnnotations()
        .get(PipelineNames.CONFIG_HASH_ANNOTATION);
    p.getSpec().getBroker().setFileReservedTime(72);
    String after = BrokerDependent.build(p).getSpec().getTemplate().getMetadata().getAnnotations()
        .get(PipelineNames.CONFIG_HASH_ANNOTATION);
    assertThat(before).hasSize(32).isNotEqualTo(after);
  }

  @Test
  void slaveGetsBrokerIdOne() {
    ReliableTxPipeline p = Pipelines.defaults("x", "ns");
    p.getSpec().getBroker().setBrokerRole(io.reliabletx.operator.pipeline.spec.BrokerRole.SLAVE);
    assertThat(BrokerConfig.of(p.getSpec(), new PipelineNames(p)).entries()).containsEntry("brokerId", "1");
  }
}
