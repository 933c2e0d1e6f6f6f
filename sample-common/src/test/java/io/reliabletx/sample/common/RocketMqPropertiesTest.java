package io.reliabletx.sample.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliabletx.sample.common.rocketmq.RocketMqClients;
import io.reliabletx.sample.common.rocketmq.RocketMqProperties;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class RocketMqPropertiesTest {

  @EnableConfigurationProperties(RocketMqProperties.class)
  static class Properties {
  }

  private final ApplicationContextRunner context = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
      .withUserConfiguration(Properties.class);

  @Test
  void anAccessKeyWithoutItsSecretKeyIsRefusedAtStartupNamingBoth() {
    context.withPropertyValues("rocketmq.access-key=orders").run(started -> {
      assertThat(started).hasFailed();
      assertThat(started.getStartupFailure()).rootCause()
          .hasMessageContaining("rocketmq.access-key and rocketmq.secret-key");
    });
  }

  @Test
  void withBothTheClientsSignTheirRequestsAndWithNeitherTheyDoNot() {
    context.withPropertyValues("rocketmq.access-key=orders", "rocketmq.secret-key=s3cret").run(started -> {
      RocketMqProperties p = started.getBean(RocketMqProperties.class);
      assertThat(RocketMqClients.rpcHook(p)).isInstanceOf(AclClientRPCHook.class);
      assertThat(p.toString()).contains("orders").doesNotContain("s3cret");
    });
    context.run(started -> assertThat(RocketMqClients.rpcHook(started.getBean(RocketMqProperties.class))).isNull());
  }
}
