package io.reliabletx.sample.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliabletx.sample.common.faults.FaultPoints;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** Fault points exist in the production jar, but nothing can arm them unless a property says this is a test. */
class FaultPointsConfigurationTest {

  private final WebApplicationContextRunner context = new WebApplicationContextRunner().withConfiguration(
      AutoConfigurations.of(ValidationAutoConfiguration.class, SampleServicesAutoConfiguration.class));

  @Test
  void offByDefault() {
    context.run(started -> {
      FaultPoints faults = started.getBean(FaultPoints.class);
      assertThat(faults.enabled()).isFalse();
      assertThatThrownBy(() -> faults.arm("order.local-tx.after-commit", FaultPoints.Action.THROW, 1))
          .isInstanceOf(IllegalStateException.class);
      faults.reach("order.local-tx.after-commit");
      assertThat(started).doesNotHaveBean(InfoContributor.class);
    });
  }

  @Test
  void armingFromThePropertyWithoutEnablingIsRefusedAtStartup() {
    context.withPropertyValues("reliabletx.fault-points=order.local-tx.after-commit=halt#3").run(started -> {
      assertThat(started).hasFailed();
      assertThat(started.getStartupFailure()).rootCause().hasMessageContaining("reliabletx.fault-injection.enabled");
    });
  }

  @Test
  void enabledFaultPointsAreListedInInfo() {
    context.withPropertyValues("reliabletx.fault-injection.enabled=true",
        "reliabletx.fault-points=order.local-tx.after-commit=halt#3").run(started -> {
          assertThat(started.getBean(FaultPoints.class).enabled()).isTrue();
          Info.Builder info = new Info.Builder();
          started.getBean(InfoContributor.class).contribute(info);
          assertThat(info.build().getDetails()).containsEntry("faultPoints",
              Map.of("enabled", true, "armed", Map.of("order.local-tx.after-commit", "halt#3")));
        });
  }
}
