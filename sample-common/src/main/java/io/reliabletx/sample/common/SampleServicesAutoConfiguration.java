package io.reliabletx.sample.common;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import io.reliabletx.sample.common.api.ApiProblems;
import io.reliabletx.sample.common.api.RequestBodyLimitFilter;
import io.reliabletx.sample.common.faults.FaultPoints;
import io.reliabletx.sample.common.rocketmq.RocketMqProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
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

  /** Strict JSON at the edge: "5" is not a count, 2.5 is not a count, unknown fields are mistakes. */
  @Bean
  Jackson2ObjectMapperBuilderCustomizer strictJson() {
    return builder -> builder
        .featuresToEnable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
            DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .featuresToDisable(DeserializationFeature.ACCEPT_FLOAT_AS_INT, MapperFeature.ALLOW_COERCION_OF_SCALARS);
  }

  @Bean
  FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(ReliableTxProperties properties) {
    var registration = new FilterRegistrationBean<>(new RequestBodyLimitFilter(properties.maxRequestBytes()));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }

  @Bean
  FaultPoints faultPoints(@Value("${reliabletx.fault-points:}") String spec) {
    return new FaultPoints(spec);
  }
}
