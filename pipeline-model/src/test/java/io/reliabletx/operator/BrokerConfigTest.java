package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.brokerconf.BrokerConfig;
import io.reliabletx.operator.pipeline.children.Broker;
import org.junit.jupiter.api.Test;

/** broker.conf beyond the examples' golden files (golden/<example>/broker-config.yaml). */
class BrokerConfigTest {
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
    String before = Broker.statefulSet(p).getSpec().getTemplate().getMetadata().getAnnotations()
        .get(PipelineNames.CONFIG_HASH_ANNOTATION);
    p.getSpec().getBroker().setFileReservedTime(72);
    String after = Broker.statefulSet(p).getSpec().getTemplate().getMetadata().getAnnotations()
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
