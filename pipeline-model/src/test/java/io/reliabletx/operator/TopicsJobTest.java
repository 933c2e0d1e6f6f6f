package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.acl.RocketMqAcl;
import io.reliabletx.operator.pipeline.children.TopicsJob;
import io.reliabletx.operator.pipeline.spec.ReleaseImages;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The topics Job as an object: reliable-tx's admin program with one constant argument, every value from the spec or
 * the Secret in env. What the program does with that env, against a real broker, is pipeline-admin's
 * TopicsSetupAgainstBrokerTest.
 */
class TopicsJobTest {
  static Container container(ReliableTxPipeline p) {
    return TopicsJob.job(p).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  static Map<String, EnvVar> env(ReliableTxPipeline p) {
    return container(p).getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
  }

  @Test
  void runsTheAdminProgramWithOneConstantArgumentAndSpecValuesOnlyAsEnvValues() {
    ReliableTxPipeline hostile = Pipelines.defaults("p", "ns");
    // Refused by the API server today; the Job must be safe even for a value that got past it.
    hostile.getSpec().getOrder().setTopic("x;touch /tmp/pwned");
    hostile.getSpec().getOrder().setResultTopic("$(id)");
    hostile.getSpec().getBroker().setBrokerClusterName("`id`");
    Container c = container(hostile);
    assertThat(c.getImage()).isEqualTo(ReleaseImages.PIPELINE_ADMIN);
    assertThat(c.getCommand()).isEmpty();
    assertThat(c.getArgs()).containsExactly(TopicsJob.COMMAND);
    assertThat(c.getEnv()).extracting(EnvVar::getValue).contains("x;touch /tmp/pwned", "$(id)", "`id`");
  }

  @Test
  void theImageIsTheSpecsOwn() {
    ReliableTxPipeline p = Pipelines.defaults("p", "ns");
    p.getSpec().getPipelineAdmin().setImage("registry.example/admin:1");
    assertThat(container(p).getImage()).isEqualTo("registry.example/admin:1");
  }

  @Test
  void passwordsComeOnlyFromTheSecretAndEveryBrokerOfTheGroupIsListed() {
    ReliableTxPipeline group = Pipelines.defaults("p", "ns");
    group.getSpec().getBroker().setReplicas(2);
    Map<String, EnvVar> env = env(group);
    assertThat(env.get(TopicsJob.BROKER_ADDRESSES_ENV).getValue())
        .isEqualTo("p-broker-0.p-broker.ns.svc:10911 p-broker-1.p-broker.ns.svc:10911");
    for (String name : new String[] {RocketMqAcl.ADMIN_PASSWORD_ENV, TopicsJob.ORDERS_USER_PREFIX + "PASSWORD",
        TopicsJob.STOCK_USER_PREFIX + "PASSWORD"}) {
      assertThat(env.get(name).getValue()).as(name).isNull();
      assertThat(env.get(name).getValueFrom().getSecretKeyRef().getName()).as(name).isEqualTo("p-credentials");
    }
    assertThat(env.get(TopicsJob.ORDERS_USER_PREFIX + "PUBLISHES").getValue()).isEqualTo("Topic:reliabletx-orders");
    assertThat(env.get(TopicsJob.STOCK_USER_PREFIX + "SUBSCRIBES").getValue())
        .isEqualTo("Topic:reliabletx-orders,Group:reliabletx-stock-consumer");
  }

  @Test
  void withoutTheAclNoUserOrPasswordReachesTheJob() {
    ReliableTxPipeline off = Pipelines.defaults("p", "ns");
    off.getSpec().getAcl().setEnabled(false);
    assertThat(env(off)).doesNotContainKeys(RocketMqAcl.ADMIN_PASSWORD_ENV, TopicsJob.BROKER_ADDRESSES_ENV,
        TopicsJob.ORDERS_USER_PREFIX + "PASSWORD", TopicsJob.STOCK_USER_PREFIX + "PASSWORD");
  }

  @Test
  void anyChangeToThePodMakesANewJob() {
    ReliableTxPipeline a = Pipelines.defaults("p", "ns");
    ReliableTxPipeline b = Pipelines.defaults("p", "ns");
    b.getSpec().getOrder().setResultTopic("other-results");
    assertThat(TopicsJob.name(b)).isNotEqualTo(TopicsJob.name(a));
    assertThat(TopicsJob.name(a)).isEqualTo(TopicsJob.name(Pipelines.defaults("p", "ns")));
  }
}
