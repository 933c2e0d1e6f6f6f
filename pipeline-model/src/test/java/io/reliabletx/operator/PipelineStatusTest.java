package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.status.PipelineConditions;
import io.reliabletx.operator.pipeline.status.PipelineStatus;
import io.reliabletx.operator.pipeline.status.ReliableTxPipelineStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the status tells users of a pipeline: where its services are and how the services are wired. */
class PipelineStatusTest {
  @Test
  void endpointsAndWiringOfTheCustomExample() {
    ReliableTxPipeline p = Pipelines.example("custom.yaml", "shop");
    p.getMetadata().setGeneration(3L);
    ReliableTxPipelineStatus s = PipelineStatus.of(p, ReliableTxPipelineStatus.Phase.Ready,
        List.of(PipelineConditions.condition(PipelineConditions.READY, true, "AllComponentsReady", "ready", 3L)));
    assertThat(s.getObservedGeneration()).isEqualTo(3L);
    assertThat(s.getEndpoints().getNameServer())
        .isEqualTo("custom-namesrv-0.custom-namesrv.shop.svc:9876;custom-namesrv-1.custom-namesrv.shop.svc:9876");
    assertThat(s.getEndpoints().getConsole()).isEqualTo("http://custom-console.shop.svc:8080");
    assertThat(s.getEndpoints().getMysql()).isEqualTo("custom-mysql.shop.svc:3306");
    assertThat(s.getWiring().getTopic()).isEqualTo("shop-orders");
    assertThat(s.getWiring().getResultTopic()).isEqualTo("shop-order-results");
    assertThat(s.getWiring().getProducerGroup()).isEqualTo("shop-order-producer");
    assertThat(s.getWiring().getResultConsumerGroup()).isEqualTo("shop-order-result-consumer");
    assertThat(s.getWiring().getConsumerGroup()).isEqualTo("shop-stock-consumer");

    assertThat(s.getEndpoints().getBrokerMetrics()).isEqualTo("http://custom-broker-0.custom-broker.shop.svc:5557/metrics");

    p.getSpec().getConsole().setEnabled(false);
    p.getSpec().getMetrics().setEnabled(false);
    ReliableTxPipelineStatus without = PipelineStatus.of(p, ReliableTxPipelineStatus.Phase.Ready, List.of());
    assertThat(without.getEndpoints().getConsole()).as("no console").isNull();
    assertThat(without.getEndpoints().getBrokerMetrics()).as("no metrics").isNull();
  }
}
