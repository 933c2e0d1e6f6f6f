package io.reliabletx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reliabletx.testing.k8s.LocalControlPlane;
import io.reliabletx.testing.machine.Pause;
import io.reliabletx.testing.testbed.ConsistencyCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A broker group of a master and a slave (static master/slave, ASYNC_MASTER) in real pods, with orders flowing
 * through the order service's Service: the master pod is killed (deleted with no grace period: SIGKILL) and every
 * order still resolves, with the stretch in which no order was taken measured; then a broker.conf change rolls the
 * slave before the master, again under load.
 */
@Tag(LocalControlPlane.TAG)
@Tag("real-node")
class BrokerFailoverOnRealNodeTest {
  private static final String SYSTEM = "rtx-ha-system";
  private static final String APPS = "rtx-ha";
  private static final String RELEASE = "rtx-ha";
  private static final String PIPELINE = "ha";
  private static final String MASTER = PIPELINE + "-broker-0";
  private static final String SLAVE = PIPELINE + "-broker-1";

  @RegisterExtension
  static final OperatorRelease OPERATOR = new OperatorRelease(SYSTEM, APPS, RELEASE, PIPELINE);

  private LocalControlPlane plane;
  private KubernetesClient client;
  private RealNodePipeline pipeline;

  @Test
  void ordersSurviveTheMasterDyingAndAnOrderedRoll() throws Exception {
    plane = OPERATOR.plane();
    pipeline = OPERATOR.pipeline();
    client = pipeline.client();

    long applied = System.nanoTime();
    pipeline.apply(manifest(5000));
    plane.kubectl("wait", "--for=condition=Ready", "rtp/" + PIPELINE, "-n", APPS, "--timeout=600s");
    System.out.printf("[ha] apply -> Ready (master + slave) in %.1f s%n", (System.nanoTime() - applied) / 1e9);

    assertThat(pipeline.brokerConfig(0)).as("pod 0 runs as the master")
        .containsEntry("brokerId", "0").containsEntry("brokerRole", "ASYNC_MASTER");
    assertThat(pipeline.brokerConfig(1)).as("pod 1 runs as its slave")
        .containsEntry("brokerId", "1").containsEntry("brokerRole", "SLAVE")
        .containsEntry("brokerName", pipeline.brokerConfig(0).get("brokerName"));
    PodDisruptionBudget budget = client.policy().v1().podDisruptionBudget().inNamespace(APPS)
        .withName(PIPELINE + "-broker").get();
    assertThat(budget.getStatus().getCurrentHealthy()).isEqualTo(2);
    assertThat(budget.getStatus().getDisruptionsAllowed()).as("one broker pod may go at a time").isEqualTo(1);

    OrderClient orders = new OrderClient(pipeline.orderServiceAddress());
    Map<String, Integer> accepted = new ConcurrentHashMap<>();
    long retries = 0;

    // 0. The slave holds what the master stored.
    OrderClient.Result warmUp = orders.startLoad(30, 4).await(Duration.ofMinutes(4));
    accepted.putAll(warmUp.orderNos());
    retries += warmUp.retries();
    long masterOffset = pipeline.commitLogMaxOffset(0);
    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
        .until(() -> pipeline.commitLogMaxOffset(1) >= masterOffset);
    System.out.printf("[ha] the slave replicates: its commit log reached the master's %d bytes%n", masterOffset);
    assertThat(masterOffset).isPositive();

    // 1. The master killed while orders flow; the load goes on 20 s past its return.
    OrderClient.Load load = orders.startPacedLoad(3, 300);
    await().atMost(Duration.ofMinutes(2)).until(() -> load.accepted() >= 10);
    String masterUid = pipeline.pod(MASTER).getMetadata().getUid();
    long killed = System.nanoTime();
    client.pods().inNamespace(APPS).withName(MASTER).withGracePeriod(0).delete();
    await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> {
      Pod p = pipeline.pod(MASTER);
      return p != null && !p.getMetadata().getUid().equals(masterUid) && RealNodePipeline.ready(p);
    });
    double masterBack = (System.nanoTime() - killed) / 1e9;
    Pause.millis(20_000);
    load.stop();
    OrderClient.Result placed = load.await(Duration.ofMinutes(6));
    OrderClient.Outage outage = OrderClient.Outage.after(load.attempts(), killed);
    System.out.printf("[ha] master SIGKILLed under load: its pod back and Ready after %.1f s; %s; %s%n", masterBack,
        outage, placed);
    accepted.putAll(placed.orderNos());
    retries += placed.retries();
    assertThat(placed.refused()).as("orders refused for good").isZero();
    assertThat(load.attempts()).as("orders were taken after the master's return")
        .anyMatch(a -> a.taken() && a.atNanos() > killed + (long) (masterBack * 1e9));

    // 2. A broker.conf change rolls the slave first, then the master, while orders flow.
    String slaveUid = pipeline.pod(SLAVE).getMetadata().getUid();
    String masterUid2 = pipeline.pod(MASTER).getMetadata().getUid();
    OrderClient.Load rollLoad = orders.startPacedLoad(3, 300);
    await().atMost(Duration.ofMinutes(2)).until(() -> rollLoad.accepted() >= 10);
    long changed = System.nanoTime();
    pipeline.apply(manifest(7000));
    List<String> replaced = new ArrayList<>();
    await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(500)).until(() -> {
      record(replaced, SLAVE, slaveUid);
      record(replaced, MASTER, masterUid2);
      return replaced.size() == 2 && RealNodePipeline.ready(pipeline.pod(MASTER));
    });
    double rolled = (System.nanoTime() - changed) / 1e9;
    Pause.millis(20_000);
    rollLoad.stop();
    OrderClient.Result rollPlaced = rollLoad.await(Duration.ofMinutes(6));
    OrderClient.Outage rollOutage = OrderClient.Outage.after(rollLoad.attempts(), changed);
    System.out.printf("[ha] broker.conf change rolled %s in %.1f s; %s; %s%n", replaced, rolled, rollOutage,
        rollPlaced);
    assertThat(replaced).as("the slave is replaced before the master").containsExactly(SLAVE, MASTER);
    plane.kubectl("wait", "--for=condition=Ready", "rtp/" + PIPELINE, "-n", APPS, "--timeout=300s");
    assertThat(pipeline.brokerConfig(0)).containsEntry("transactionCheckInterval", "7000");
    assertThat(pipeline.brokerConfig(1)).containsEntry("transactionCheckInterval", "7000");
    accepted.putAll(rollPlaced.orderNos());
    retries += rollPlaced.retries();
    assertThat(rollPlaced.refused()).as("orders refused for good").isZero();

    // 3. Every order resolves, and both databases agree.
    long settling = System.nanoTime();
    await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
        .until(() -> orders.unresolved(accepted) == 0);
    ConsistencyCheck.Report report = pipeline.consistency();
    System.out.printf("[ha] all %d orders resolved %.1f s after the roll; %s%n", accepted.size(),
        (System.nanoTime() - settling) / 1e9, report.summaryLine(2, retries, 0, 0));
    assertThat(report.problems()).isEmpty();
    assertThat(report.holds()).isTrue();
    assertThat(report.orders()).as("every order answered 201 exists")
        .isGreaterThanOrEqualTo(accepted.values().stream().filter(s -> s == 201).count());
  }

  /** Notes {@code pod} in {@code replaced} once its uid is no longer {@code uid}. */
  private void record(List<String> replaced, String pod, String uid) {
    Pod p = pipeline.pod(pod);
    if (!replaced.contains(pod) && (p == null || !p.getMetadata().getUid().equals(uid))) {
      replaced.add(pod);
    }
  }

  /**
   * examples/local.yaml with a master and a slave and a given check-back interval. ASYNC_MASTER: with SYNC_MASTER and a
   * single slave every send waits for that slave, so its restart in the roll stops orders as long as the master's
   * (measured: the README's "Broker high availability").
   */
  @SuppressWarnings("unchecked")
  private String manifest(long checkIntervalMillis) throws Exception {
    return pipeline.manifest(spec -> {
      Map<String, Object> broker = (Map<String, Object>) spec.get("broker");
      broker.put("replicas", 2);
      broker.put("brokerRole", "ASYNC_MASTER");
      ((Map<String, Object>) spec.get("transaction")).put("checkIntervalMillis", checkIntervalMillis);
    });
  }
}
