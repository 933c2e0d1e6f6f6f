package io.reliabletx.sample.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import io.reliabletx.sample.common.api.ApiProblems;
import io.reliabletx.sample.common.api.EmptySuccessGuard;
import io.reliabletx.sample.common.api.RequestIdentity;
import io.reliabletx.sample.common.api.RequestBodyLimitFilter;
import io.reliabletx.sample.common.faults.FaultPoints;
import io.reliabletx.sample.common.rocketmq.RocketMqProperties;
import io.reliabletx.sample.common.rocketmq.TopicRouteHealthIndicator;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

/** What both sample services share; picked up by Spring Boot from this jar's AutoConfiguration.imports. */
@AutoConfiguration
@EnableConfigurationProperties({ReliableTxProperties.class, RocketMqProperties.class})
@Import(ApiProblems.class)
public class SampleServicesAutoConfiguration {

  static final String FAULT_INJECTION = "reliabletx.fault-injection.enabled";

  /**
   * Strict JSON at the edge: "5" is not a count, 2.5 is not a count, unknown fields are mistakes, and so are a field
   * given twice (else the last one wins silently) and anything after the body's value (a second object, garbage).
   */
  @Bean
  Jackson2ObjectMapperBuilderCustomizer strictJson() {
    return builder -> builder
        .featuresToEnable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
            DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
            JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .featuresToDisable(DeserializationFeature.ACCEPT_FLOAT_AS_INT, MapperFeature.ALLOW_COERCION_OF_SCALARS);
  }

  /**
   * Outermost: every answer, error pages included, names its request and replica, and the access log sees the final
   * status.
   */
  @Bean
  FilterRegistrationBean<RequestIdentity> requestIdentityFilter(ReliableTxProperties properties,
      @Value("${spring.application.name:application}") String application) {
    var registration = new FilterRegistrationBean<>(new RequestIdentity(application, properties.accessLog()));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  /** Right inside it: no 2xx leaves without a body, whatever produced it further in. */
  @Bean
  FilterRegistrationBean<EmptySuccessGuard> emptySuccessGuard() {
    var registration = new FilterRegistrationBean<>(new EmptySuccessGuard());
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
    return registration;
  }

  @Bean
  FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(ReliableTxProperties properties) {
    var registration = new FilterRegistrationBean<>(new RequestBodyLimitFilter(properties.maxRequestBytes()));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }

  /**
   * The "rocketMq" health of readiness: both topics routed, asked through the service's own producer (each service has
   * one; the order service's is transactional).
   */
  @Bean
  @ConditionalOnBean(DefaultMQProducer.class)
  TopicRouteHealthIndicator rocketMqHealthIndicator(DefaultMQProducer producer, RocketMqProperties rocketMq,
                                                    ReliableTxProperties properties) {
    return new TopicRouteHealthIndicator(producer, rocketMq, List.of(properties.topic(), properties.resultTopic()));
  }

  /** Test-only fault points: off unless reliabletx.fault-injection.enabled=true; a spec without it is a mistake. */
  @Bean
  FaultPoints faultPoints(@Value("${" + FAULT_INJECTION + ":false}") boolean enabled,
                          @Value("${reliabletx.fault-points:}") String spec) {
    if (enabled) {
      return new FaultPoints(spec);
    }
    if (!spec.isBlank()) {
      throw new IllegalStateException("reliabletx.fault-points is set but fault injection is off: set "
          + FAULT_INJECTION + "=true to arm test-only fault points, or remove reliabletx.fault-points");
    }
    return FaultPoints.off();
  }

  /** With fault injection on, /actuator/info says so and lists what is armed: no one mistakes it for production. */
  @Bean
  @ConditionalOnProperty(name = FAULT_INJECTION, havingValue = "true")
  InfoContributor faultPointsInfo(FaultPoints faults) {
    return info -> info.withDetail("faultPoints", Map.of("enabled", true, "armed", faults.armedFromSpec()));
  }
}
