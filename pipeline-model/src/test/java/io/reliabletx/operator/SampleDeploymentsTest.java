package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.OrderService;
import io.reliabletx.operator.pipeline.children.StockService;
import io.reliabletx.operator.pipeline.wiring.ServiceEnv;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The services' Deployments carry the env the pipeline renders, the derived rollback deadline included. */
class SampleDeploymentsTest {
  static Map<String, String> plainEnv(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  @Test
  void theOrderServiceIsToldWhenToRollBackASilentTransaction() {
    ReliableTxPipeline custom = Pipelines.example("custom.yaml", "shop");
    assertThat(plainEnv(OrderService.deployment(custom)))
        .containsEntry(ServiceEnv.CHECK_BACK_ROLLBACK_AFTER, "8s");
    assertThat(plainEnv(StockService.deployment(custom)))
        .doesNotContainKey(ServiceEnv.CHECK_BACK_ROLLBACK_AFTER);
  }
}
