package io.reliabletx.testing.rocketmq;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded name server + broker as a process of its own, so a fault test can SIGKILL, SIGSTOP and restart it:
 * {@code --name-server-port P --broker-port B --store DIR [--topic T]... [--transactional-topic T]...}.
 * Prints {@code READY <name-server-address>} once routes are published; runs until killed. The store survives, so
 * a restart on the same ports and directory finds every stored and half message again.
 */
public final class EmbeddedRocketMqMain {
  private EmbeddedRocketMqMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> single = new HashMap<>();
    List<String> topics = new ArrayList<>();
    List<String> transactionalTopics = new ArrayList<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--topic" -> topics.add(args[i + 1]);
        case "--transactional-topic" -> transactionalTopics.add(args[i + 1]);
        case "--name-server-port", "--broker-port", "--store" -> single.put(args[i], args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    EmbeddedRocketMq.Settings settings = EmbeddedRocketMq.Settings.forTests()
        .withPorts(Integer.parseInt(single.getOrDefault("--name-server-port", "0")),
            Integer.parseInt(single.getOrDefault("--broker-port", "0")));
    if (single.containsKey("--store")) {
      settings = settings.withStoreDir(Path.of(single.get("--store")));
    }
    EmbeddedRocketMq mq = EmbeddedRocketMq.start(settings);
    transactionalTopics.forEach(mq::createTransactionalTopic);
    topics.forEach(mq::createTopic);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      mq.close();
      stopped.countDown();
    }, "embedded-rocketmq-shutdown"));
    System.out.println("READY " + mq.nameServerAddress());
    System.out.flush();
    stopped.await();
  }
}
