package io.reliabletx.testing.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliabletx.operator.Pipelines;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.brokerconf.BrokerConfig;
import io.reliabletx.testing.rocketmq.BrokerConfLoader;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyServerConfig;
import org.apache.rocketmq.store.config.MessageStoreConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every key of the broker.conf the operator renders is one RocketMQ 5.3.3 takes, with a value it takes (no broker started). */
class RenderedBrokerConfTest {
  @ParameterizedTest
  @ValueSource(strings = {"minimal.yaml", "custom.yaml", "local.yaml"})
  void theBrokerTakesEveryRenderedKey(String example) {
    ReliableTxPipeline p = Pipelines.example(example, "shop");
    var rendered = BrokerConfig.of(p.getSpec(), new PipelineNames(p)).entries();
    org.apache.rocketmq.common.BrokerConfig broker = new org.apache.rocketmq.common.BrokerConfig();
    org.apache.rocketmq.auth.config.AuthConfig auth = new org.apache.rocketmq.auth.config.AuthConfig();
    // The classes BrokerStartup fills from broker.conf, the ACL's AuthConfig among them.
    BrokerConfLoader.load(rendered, broker, new NettyServerConfig(), new NettyClientConfig(), new MessageStoreConfig(),
        auth);
    assertThat(auth.isAuthenticationEnabled()).isEqualTo(p.getSpec().getAcl().isEnabled());
    assertThat(auth.isAuthorizationEnabled()).isEqualTo(p.getSpec().getAcl().isEnabled());
    assertThat(broker.getTransactionTimeOut()).isEqualTo(p.getSpec().getTransaction().getTimeoutMillis());
    assertThat(broker.isAutoCreateTopicEnable()).isFalse();
    assertThat(broker.getMetricsExporterType()).isEqualTo(org.apache.rocketmq.common.metrics.MetricsExporterType.PROM);
    assertThat(broker.getMetricsPromExporterPort()).isEqualTo(PipelineNames.METRICS_PORT);
  }
}
