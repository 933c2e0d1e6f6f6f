package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.spec.TransactionCheckSpec;
import io.reliabletx.operator.pipeline.wiring.CheckBackRollback;
import io.reliabletx.operator.pipeline.wiring.ServiceEnv;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order service's rollback deadline against the broker's check-back schedule: check {@code k} of a half message
 * comes once it is older than {@code timeout + (k-1) * interval} and before {@code timeout + k * interval}; after
 * {@code checkMax} checks the broker discards it.
 */
class CheckBackRollbackTest {
  static TransactionCheckSpec tx(long intervalMillis, long timeoutMillis, int checkMax) {
    TransactionCheckSpec tx = new TransactionCheckSpec();
    tx.setCheckIntervalMillis(intervalMillis);
    tx.setTimeoutMillis(timeoutMillis);
    tx.setCheckMax(checkMax);
    return tx;
  }

  /** The CRD's rule on spec.transaction (TransactionCheckSpec), here for the settings it lets through. */
  static boolean accepted(TransactionCheckSpec tx) {
    return tx.getCheckMax() >= 4 && tx.getTimeoutMillis() + (tx.getCheckMax() - 3) * tx.getCheckIntervalMillis() >= 1000;
  }

  static String rendered(List<EnvVar> env) {
    return rendered(env, ServiceEnv.CHECK_BACK_ROLLBACK_AFTER);
  }

  static String rendered(List<EnvVar> env, String name) {
    return env.stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElse(null);
  }

  @Test
  void theOrderServiceIsGivenTheDeadlineOfItsPipeline() {
    ReliableTxPipeline minimal = Pipelines.example("minimal.yaml", "shop");
    ReliableTxPipeline custom = Pipelines.example("custom.yaml", "shop");
    assertThat(rendered(ServiceEnv.order(minimal.getSpec(), new PipelineNames(minimal)))).isEqualTo("66s");
    assertThat(rendered(ServiceEnv.order(custom.getSpec(), new PipelineNames(custom)))).isEqualTo("8s");
    assertThat(rendered(ServiceEnv.stock(custom.getSpec(), new PipelineNames(custom)))).as("stock").isNull();
  }

  @Test
  void theSecondCheckBackDecides() {
    assertThat(CheckBackRollback.after(new TransactionCheckSpec())).isEqualTo(Duration.ofSeconds(66));
    assertThat(CheckBackRollback.after(tx(5000, 3000, 10))).isEqualTo(Duration.ofSeconds(8));
    assertThat(CheckBackRollback.after(tx(5000, 3000, 1))).as("the only check-back").isEqualTo(Duration.ofSeconds(3));
    assertThat(CheckBackRollback.after(tx(300, 200, 10))).as("the services' minimum").isEqualTo(Duration.ofSeconds(1));
  }

  /**
   * Over the range the CRD accepts: never at the first check-back, and with two check-backs still to come after the
   * deadline (the margin for a lost answer) before the broker gives up.
   */
  @Test
  void everyAcceptedScheduleDecidesAfterTheFirstCheckBackAndBeforeTheLast() {
    for (TransactionCheckSpec tx : acceptedSchedules()) {
      long interval = tx.getCheckIntervalMillis();
      long timeout = tx.getTimeoutMillis();
      int checkMax = tx.getCheckMax();
      long deadline = CheckBackRollback.after(tx).toMillis();
      // Check k comes once the message is timeout + (k-1) * interval old: checks checkMax-2 .. checkMax after it.
      long thirdToLastCheckAtLeast = timeout + (checkMax - 3) * interval;
      long firstCheckAtMost = timeout + interval;
      assertThat(deadline).as("interval %d timeout %d checkMax %d", interval, timeout, checkMax)
          .isGreaterThanOrEqualTo(CheckBackRollback.MINIMUM.toMillis())
          .isGreaterThanOrEqualTo(timeout)
          .isLessThanOrEqualTo(thirdToLastCheckAtLeast)
          .isGreaterThanOrEqualTo(firstCheckAtMost);
    }
  }

  @Test
  void theOrderServiceIsGivenTheLocalTransactionTimeoutOfItsPipeline() {
    ReliableTxPipeline minimal = Pipelines.example("minimal.yaml", "shop");
    ReliableTxPipeline custom = Pipelines.example("custom.yaml", "shop");
    assertThat(rendered(ServiceEnv.order(minimal.getSpec(), new PipelineNames(minimal)),
        ServiceEnv.LOCAL_TRANSACTION_TIMEOUT)).isEqualTo("6s");
    assertThat(rendered(ServiceEnv.order(custom.getSpec(), new PipelineNames(custom)),
        ServiceEnv.LOCAL_TRANSACTION_TIMEOUT)).isEqualTo("3s");
    assertThat(rendered(ServiceEnv.stock(custom.getSpec(), new PipelineNames(custom)),
        ServiceEnv.LOCAL_TRANSACTION_TIMEOUT)).as("stock").isNull();
  }

  @Test
  void theLocalTransactionGetsTheBrokersTimeoutAtMostHalfTheRollbackDeadline() {
    assertThat(CheckBackRollback.localTransactionTimeout(new TransactionCheckSpec())).isEqualTo(Duration.ofSeconds(6));
    assertThat(CheckBackRollback.localTransactionTimeout(tx(5000, 3000, 10))).isEqualTo(Duration.ofSeconds(3));
    assertThat(CheckBackRollback.localTransactionTimeout(tx(1000, 1000, 100))).as("the testbed's")
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(CheckBackRollback.localTransactionTimeout(tx(5000, 3000, 1))).as("the only check-back decides at 3 s")
        .isEqualTo(Duration.ofMillis(1500));
    assertThat(CheckBackRollback.localTransactionTimeout(tx(300, 200, 10))).as("a 1 s deadline")
        .isEqualTo(Duration.ofMillis(200));
    assertThat(CheckBackRollback.localTransactionTimeout(tx(100, 100, 10))).as("the services' minimum")
        .isEqualTo(Duration.ofMillis(100));
  }

  /**
   * Over the range the CRD accepts: the local transaction is over before the first check-back (so that it finds the
   * decision), before half the rollback deadline, and within what the services accept.
   */
  @Test
  void everyAcceptedScheduleBoundsTheLocalTransactionWellBelowTheDeadline() {
    for (TransactionCheckSpec tx : acceptedSchedules()) {
      Duration local = CheckBackRollback.localTransactionTimeout(tx);
      assertThat(local).as("interval %d timeout %d checkMax %d", tx.getCheckIntervalMillis(), tx.getTimeoutMillis(),
              tx.getCheckMax())
          .isGreaterThanOrEqualTo(Duration.ofMillis(100))
          .isLessThanOrEqualTo(Duration.ofMillis(tx.getTimeoutMillis()))
          .isLessThanOrEqualTo(CheckBackRollback.after(tx).dividedBy(2))
          .isLessThan(CheckBackRollback.after(tx));
    }
  }

  /** A grid over the range of each setting, kept to the schedules the CRD accepts (more than 100 of them). */
  static List<TransactionCheckSpec> acceptedSchedules() {
    List<TransactionCheckSpec> schedules = new ArrayList<>();
    for (long interval : new long[] {100, 300, 1000, 5000, 60000, 86400000}) {
      for (long timeout : new long[] {100, 700, 1000, 3000, 6000, 86400000}) {
        for (int checkMax : new int[] {1, 2, 3, 4, 5, 15, 1000}) {
          TransactionCheckSpec tx = tx(interval, timeout, checkMax);
          if (accepted(tx)) {
            schedules.add(tx);
          }
        }
      }
    }
    assertThat(schedules).hasSizeGreaterThan(100);
    return schedules;
  }

  @Test
  void spelledAsSpringBootReadsADuration() {
    assertThat(CheckBackRollback.asProperty(Duration.ofSeconds(66))).isEqualTo("66s");
    assertThat(CheckBackRollback.asProperty(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }
}
