package io.reliabletx.sample.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ReliableTxPropertiesTest {

  @EnableConfigurationProperties(ReliableTxProperties.class)
  static class Properties {
  }

  private final ApplicationContextRunner context = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
      .withUserConfiguration(Properties.class);

  @Test
  void aZeroCheckBackRollbackWindowIsRefusedAtStartupNamingTheProperty() {
    context.withPropertyValues("reliabletx.check-back-rollback-after=0").run(started -> {
      assertThat(started).hasFailed();
      assertThat(started.getStartupFailure()).rootCause()
          .hasMessageContaining("reliabletx.check-back-rollback-after")
          .hasMessageContaining("must be at least 1s");
    });
  }

  @Test
  void tooShortResendSettingsAreRefused() {
    context.withPropertyValues("reliabletx.pending-resend-after=500ms").run(started ->
        assertThat(started.getStartupFailure()).rootCause().hasMessageContaining("reliabletx.pending-resend-after"));
    context.withPropertyValues("reliabletx.pending-resend-interval=0s").run(started ->
        assertThat(started.getStartupFailure()).rootCause().hasMessageContaining("reliabletx.pending-resend-interval"));
  }

  @Test
  void defaultsAndSensibleValuesStart() {
    context.run(started -> assertThat(started.getBean(ReliableTxProperties.class).checkBackRollbackAfter())
        .isEqualTo(Duration.ofSeconds(60)));
    context.withPropertyValues("reliabletx.check-back-rollback-after=2s").run(started ->
        assertThat(started.getBean(ReliableTxProperties.class).checkBackRollbackAfter()).isEqualTo(Duration.ofSeconds(2)));
  }

  @Test
  void theLocalTransactionTimeoutDefaultsBelowTheRollbackDeadline() {
    context.run(started -> assertThat(started.getBean(ReliableTxProperties.class).localTransactionTimeout())
        .as("RocketMQ's default transactionTimeOut").isEqualTo(Duration.ofSeconds(6)));
    context.withPropertyValues("reliabletx.check-back-rollback-after=5s").run(started ->
        assertThat(started.getBean(ReliableTxProperties.class).localTransactionTimeout()).as("half of it")
            .isEqualTo(Duration.ofMillis(2500)));
    context.withPropertyValues("reliabletx.check-back-rollback-after=8s", "reliabletx.local-transaction-timeout=3s")
        .run(started -> assertThat(started.getBean(ReliableTxProperties.class).localTransactionTimeout())
            .isEqualTo(Duration.ofSeconds(3)));
  }

  @Test
  void aLocalTransactionTimeoutNotBelowTheRollbackDeadlineIsRefusedNamingBoth() {
    context.withPropertyValues("reliabletx.check-back-rollback-after=8s", "reliabletx.local-transaction-timeout=8s")
        .run(started -> assertThat(started.getStartupFailure()).rootCause()
            .hasMessageContaining("reliabletx.local-transaction-timeout must be below "
                + "reliabletx.check-back-rollback-after"));
    context.withPropertyValues("reliabletx.local-transaction-timeout=50ms").run(started ->
        assertThat(started.getStartupFailure()).rootCause().hasMessageContaining("localTransactionTimeout")
            .hasMessageContaining("must be at least 100ms"));
  }
}
