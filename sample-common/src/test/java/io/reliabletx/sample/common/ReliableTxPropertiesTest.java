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
}
