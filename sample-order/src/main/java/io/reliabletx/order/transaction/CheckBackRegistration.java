package io.reliabletx.order.transaction;

import io.reliabletx.sample.common.ReliableTxProperties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.impl.factory.MQClientInstance;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Makes a (re)started order service known to the brokers of its topic at once, so that they can ask it check-backs.
 * A RocketMQ producer learns a broker's address only from the route of a topic it sent to, and registers its group
 * with brokers by a heartbeat (the client's first scheduled one runs a second after start, before any send): a
 * restarted instance with no order to send was asked nothing at all, and a broker that checked its half messages
 * meanwhile counted every unanswered check toward transactionCheckMax until it discarded them (the fault suite lost
 * four committed orders so while the order service restarted three times in a row). Retries every second until the
 * route is known and a heartbeat went out.
 */
@Component
public class CheckBackRegistration implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(CheckBackRegistration.class);

  private final TransactionMQProducer producer;
  private final String topic;
  private volatile ScheduledExecutorService scheduler;

  public CheckBackRegistration(TransactionMQProducer producer, ReliableTxProperties properties) {
    this.producer = producer;
    this.topic = properties.topic();
  }

  /** One attempt: fetches the topic's route and sends the group's heartbeat to its brokers; true when both worked. */
  public static boolean registerNow(TransactionMQProducer producer, String topic) {
    MQClientInstance client = producer.getDefaultMQProducerImpl().getMqClientFactory();
    client.updateTopicRouteInfoFromNameServer(topic);
    return client.getTopicRouteTable().containsKey(topic) && client.sendHeartbeatToAllBrokerWithLock();
  }

  @Override
  public void start() {
    ScheduledExecutorService registering = Executors.newSingleThreadScheduledExecutor(
        r -> new Thread(r, "check-back-registration"));
    scheduler = registering;
    long started = System.nanoTime();
    registering.scheduleWithFixedDelay(() -> {
      boolean done;
      try {
        done = registerNow(producer, topic);
      } catch (RuntimeException e) {
        done = false; // name server or broker unreachable right now: next second
      }
      if (done) {
        LOG.info("registered producer group {} with the brokers of {} for check-backs ({} ms after start)",
            producer.getProducerGroup(), topic, (System.nanoTime() - started) / 1_000_000);
        registering.shutdown();
      }
    }, 0, 1, TimeUnit.SECONDS);
  }

  @Override
  public void stop() {
    ScheduledExecutorService s = scheduler;
    scheduler = null;
    if (s != null) {
      s.shutdownNow();
    }
  }

  @Override
  public boolean isRunning() {
    return scheduler != null;
  }
}
