package io.reliabletx.sample.common.rocketmq;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * RocketMQ health as the service experiences it: UP when the name server answers with a route (at least one
 * writable broker) for every topic the service uses. Asked through the service's own producer.
 */
public class TopicRouteHealthIndicator extends AbstractHealthIndicator {

  private final DefaultMQProducer producer;
  private final RocketMqProperties properties;
  private final List<String> topics;

  public TopicRouteHealthIndicator(DefaultMQProducer producer, RocketMqProperties properties, List<String> topics) {
    super("RocketMQ health check failed");
    this.producer = producer;
    this.properties = properties;
    this.topics = topics;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) throws Exception {
    var factory = producer.getDefaultMQProducerImpl().getMqClientFactory();
    if (factory == null) {
      builder.down().withDetail("nameServer", properties.nameServer()).withDetail("reason", "producer not started");
      return;
    }
    Map<String, Object> routes = new LinkedHashMap<>();
    boolean allRouted = true;
    for (String topic : topics) {
      TopicRouteData route = factory.getMQClientAPIImpl().getTopicRouteInfoFromNameServer(topic, 3000);
      List<String> brokers = route == null ? List.of()
          : route.getBrokerDatas().stream().map(BrokerData::getBrokerName).toList();
      allRouted &= !brokers.isEmpty();
      routes.put(topic, brokers);
    }
    (allRouted ? builder.up() : builder.down()).withDetail("nameServer", properties.nameServer())
        .withDetail("topics", routes);
  }
}
