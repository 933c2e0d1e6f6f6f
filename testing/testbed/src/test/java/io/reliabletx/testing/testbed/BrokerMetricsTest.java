package io.reliabletx.testing.testbed;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.reliabletx.operator.Pipelines;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.brokerconf.BrokerConfig;
import io.reliabletx.testing.rocketmq.EmbeddedRocketMq;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;

/**
 * The broker started from the broker.conf the operator renders serves Prometheus metrics (only the exporter's address
 * and port replaced by this machine's), and they count what it received.
 */
class BrokerMetricsTest {
  @Test
  void theRenderedBrokerConfTurnsThePrometheusExporterOn() throws Exception {
    ReliableTxPipeline p = Pipelines.example("minimal.yaml", "shop");
    p.getSpec().getAcl().setEnabled(false); // the exporter is the subject here; AclEndToEndTest signs in
    var conf = BrokerConfig.of(p.getSpec(), new PipelineNames(p)).entries();
    try (EmbeddedRocketMq mq = EmbeddedRocketMq.start(EmbeddedRocketMq.Settings.forTests().withBrokerConf(conf))) {
      mq.createTopic("metrics-topic");
      DefaultMQProducer producer = new DefaultMQProducer("metrics-producer");
      producer.setNamesrvAddr(mq.nameServerAddress());
      producer.start();
      try {
        for (int i = 0; i < 5; i++) {
          producer.send(new Message("metrics-topic", ("m" + i).getBytes(UTF_8)));
        }
      } finally {
        producer.shutdown();
      }
      String url = mq.brokerMetricsUrl().orElseThrow();
      HttpClient http = HttpClient.newHttpClient();
      String body = "";
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (System.nanoTime() < deadline && !body.contains("metrics-topic")) {
        body = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Thread.sleep(500);
      }
      System.out.println("[metrics] " + body.lines().filter(l -> l.startsWith("rocketmq_messages_in_total")).toList());
      assertThat(body).contains("rocketmq_messages_in_total").contains("topic=\"metrics-topic\"");
    }
  }
}
