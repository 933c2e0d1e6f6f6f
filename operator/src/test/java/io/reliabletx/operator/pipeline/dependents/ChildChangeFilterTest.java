package io.reliabletx.operator.pipeline.dependents;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.junit.jupiter.api.Test;

class ChildChangeFilterTest {
  final ChildChangeFilter filter = new ChildChangeFilter();

  static Deployment deployment(long generation, long observed, int ready, int updated) {
    return new DeploymentBuilder()
        .withNewMetadata().withName("p-order").withGeneration(generation).addToLabels("app", "order").endMetadata()
        .withNewSpec().withReplicas(1).endSpec()
        .withNewStatus().withObservedGeneration(observed).withReplicas(1).withReadyReplicas(ready)
        .withUpdatedReplicas(updated).endStatus()
        .build();
  }

  @Test
  void aStatusUpdateThatLeavesReadinessAsItWasStartsNoReconcile() {
    Deployment coming = deployment(1, 1, 0, 0);
    Deployment counted = deployment(1, 1, 0, 1);
    assertThat(filter.accept(counted, coming)).isFalse();
  }

  @Test
  void becomingReadyOrNotReadyStartsOne() {
    assertThat(filter.accept(deployment(1, 1, 1, 1), deployment(1, 1, 0, 1))).isTrue();
    assertThat(filter.accept(deployment(1, 1, 0, 1), deployment(1, 1, 1, 1))).isTrue();
  }

  @Test
  void aChangeOfWhatTheOperatorAppliesStartsOne() {
    assertThat(filter.accept(deployment(2, 1, 1, 1), deployment(1, 1, 1, 1))).as("spec (generation)").isTrue();
    Deployment relabelled = deployment(1, 1, 1, 1);
    relabelled.getMetadata().getLabels().put("app", "hacked");
    assertThat(filter.accept(relabelled, deployment(1, 1, 1, 1))).as("labels").isTrue();
  }

  @Test
  void aJobFinishingStartsOneEitherWay() {
    Job running = new JobBuilder().withNewMetadata().withName("p-topics-1").withGeneration(1L).endMetadata()
        .withNewStatus().withActive(1).endStatus().build();
    Job runningReady = new JobBuilder(running).editStatus().withReady(1).endStatus().build();
    Job succeeded = new JobBuilder(running).editStatus().withActive(0).withSucceeded(1).endStatus().build();
    Job failed = new JobBuilder(running).editStatus().withActive(0).addNewCondition().withType("Failed")
        .withStatus("True").endCondition().endStatus().build();
    assertThat(filter.accept(runningReady, running)).isFalse();
    assertThat(filter.accept(succeeded, runningReady)).isTrue();
    assertThat(filter.accept(failed, runningReady)).isTrue();
  }

  @Test
  void everyUpdateOfAKindWithoutAStatusOfItsOwnStartsOne() {
    var before = new ConfigMapBuilder().withNewMetadata().withName("p-broker-config").endMetadata()
        .addToData("broker.conf", "a").build();
    var after = new ConfigMapBuilder(before).addToData("broker.conf", "b").build();
    assertThat(filter.accept(after, before)).isTrue();
  }
}
