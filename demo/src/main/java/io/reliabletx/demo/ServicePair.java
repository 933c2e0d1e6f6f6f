package io.reliabletx.demo;

import io.micrometer.core.instrument.MeterRegistry;
import io.reliabletx.order.OrderApplication;
import io.reliabletx.stock.StockApplication;
import io.reliabletx.testing.testbed.Testbed;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The order and stock services, each its own Spring application context, wired to a testbed as the operator would. */
public final class ServicePair implements AutoCloseable {

  private final ConfigurableApplicationContext order;
  private final ConfigurableApplicationContext stock;

  private ServicePair(ConfigurableApplicationContext order, ConfigurableApplicationContext stock) {
    this.order = order;
    this.stock = stock;
  }

  /**
   * Starts both with the environment the operator renders for the testbed's pipeline; {@code extra} properties (e.g.
   * quiet logging, consumer threads) apply to both.
   */
  public static ServicePair start(Testbed bed, Map<String, Object> extra) {
    return start(bed, extra, context -> { }, context -> { });
  }

  /**
   * As {@link #start(Testbed, Map)}, with a hook into each context before it refreshes (a benchmark adds a bean
   * post-processor there to see its own timing points).
   */
  public static ServicePair start(Testbed bed, Map<String, Object> extra,
                                  Consumer<ConfigurableApplicationContext> orderSetup,
                                  Consumer<ConfigurableApplicationContext> stockSetup) {
    ConfigurableApplicationContext stock = run(StockApplication.builder().initializers(stockSetup::accept),
        bed.stockServiceEnvironment(), extra);
    try {
      return new ServicePair(run(OrderApplication.builder().initializers(orderSetup::accept),
          bed.orderServiceEnvironment(), extra), stock);
    } catch (RuntimeException e) {
      stock.close();
      throw e;
    }
  }

  private static ConfigurableApplicationContext run(SpringApplicationBuilder builder, Map<String, String> env,
                                                    Map<String, Object> extra) {
    builder.initializers(context -> withEnvironment(context.getEnvironment().getPropertySources(), env));
    Map<String, Object> properties = new HashMap<>();
    properties.put("server.port", 0);
    properties.putAll(extra);
    // Command-line style arguments outrank the services' own yml, as the operator's environment variables do.
    String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    return builder.run(args);
  }

  /**
   * {@code env} as the process environment of a pod: Spring Boot maps a source named {@code *-systemEnvironment} by
   * its relaxed rule for environment variables, so RELIABLETX_RESULT_TOPIC binds reliabletx.result-topic exactly as
   * in the pod. Below command-line arguments, above the services' own yml, like the real environment.
   */
  public static void withEnvironment(MutablePropertySources sources, Map<String, String> env) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    SystemEnvironmentPropertySource source = new SystemEnvironmentPropertySource(
        "pipeline-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, (Map) new HashMap<>(env));
    if (sources.contains(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME)) {
      sources.addAfter(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME, source);
    } else {
      sources.addFirst(source);
    }
  }

  public String orderServiceUrl() {
    return "http://127.0.0.1:" + ((ServletWebServerApplicationContext) order).getWebServer().getPort();
  }

  public String stockServiceUrl() {
    return "http://127.0.0.1:" + ((ServletWebServerApplicationContext) stock).getWebServer().getPort();
  }

  /** A bean of the order service (benchmarks drive {@code OrderPlacement} directly, without HTTP). */
  public <T> T orderBean(Class<T> type) {
    return order.getBean(type);
  }

  public MeterRegistry orderMeters() {
    return order.getBean(MeterRegistry.class);
  }

  public MeterRegistry stockMeters() {
    return stock.getBean(MeterRegistry.class);
  }

  /** Sum of a counter over all its tags, in one service's registry. */
  public static double counter(MeterRegistry meters, String name) {
    return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  @Override
  public void close() {
    try {
      order.close();
    } finally {
      stock.close();
    }
  }
}
