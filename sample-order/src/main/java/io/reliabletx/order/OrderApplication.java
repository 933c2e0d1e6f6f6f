package io.reliabletx.order;

import io.reliabletx.sample.common.SampleServices;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The order service: orders in, transactional messages out (see DESIGN.md, "The flow of one order"). */
@SpringBootApplication
public class OrderApplication {

  /**
   * Its defaults live in {@code sample-order.yml}, not {@code application.yml}, so both services can run in one JVM
   * (the demo) without reading each other's; an {@code application.yml} of the user's still applies on top.
   */
  public static final String CONFIG_NAME = "sample-order,application";

  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(OrderApplication.class).properties("spring.config.name=" + CONFIG_NAME);
  }

  public static void main(String[] args) {
    SampleServices.preferLogback();
    builder().run(args);
  }
}
