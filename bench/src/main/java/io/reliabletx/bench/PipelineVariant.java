package io.reliabletx.bench;

import io.reliabletx.demo.ServicePair;
import io.reliabletx.order.orders.Order;
import io.reliabletx.order.placing.OrderPlacement;
import io.reliabletx.order.transaction.LocalOrderTransaction;
import io.reliabletx.messages.StockOutcome;
import io.reliabletx.stock.ledger.Deduction;
import io.reliabletx.stock.ledger.StockLedger;
import io.reliabletx.testing.testbed.Testbed;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Ours: the real order and stock services (their Spring contexts, code and settings), driven through
 * {@link OrderPlacement} without HTTP so that the three variants differ only in the messaging pattern.
 * Timed at the same two points as the baselines, on the same clock: the bench wraps the services'
 * {@link LocalOrderTransaction} and {@link StockLedger} beans and marks the {@link Timeline} as their methods return,
 * that is just after the order's and the deduction's database commits.
 */
final class PipelineVariant implements Variant {

  private static final String RESOLVED = "reliabletx.orders.resolved";

  private final ServicePair services;
  private final OrderPlacement placement;
  private double resolvedBefore;

  PipelineVariant(Testbed bed, Map<String, Object> serviceSettings, Timeline timeline) {
    this.services = ServicePair.start(bed, serviceSettings,
        wrap(LocalOrderTransaction.class, (method, args, result) -> {
          if (method.equals("record")) {
            timeline.committed(((Order) args[0]).orderNo());
          }
        }),
        wrap(StockLedger.class, (method, args, result) -> {
          if (result instanceof Deduction d) {
            deducted(d, timeline);
          } else if (result instanceof List<?> batch) {
            batch.forEach(d -> deducted((Deduction) d, timeline));
          }
        }));
    this.placement = services.orderBean(OrderPlacement.class);
  }

  private static void deducted(Deduction d, Timeline timeline) {
    if (!d.duplicate() && d.outcome().outcome() == StockOutcome.Outcome.DEDUCTED) {
      timeline.deducted(d.outcome().orderNo());
    }
  }

  interface Returned {
    void after(String method, Object[] args, Object result);
  }

  /** Replaces the context's bean of {@code type} with a proxy that calls {@code returned} after each method returns. */
  private static Consumer<ConfigurableApplicationContext> wrap(Class<?> type, Returned returned) {
    return context -> context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String name) {
        if (!type.isInstance(bean)) {
          return bean;
        }
        ProxyFactory proxy = new ProxyFactory(bean);
        proxy.setProxyTargetClass(true);
        proxy.addAdvice((MethodInterceptor) invocation -> {
          Object result = invocation.proceed();
          returned.after(invocation.getMethod().getName(), invocation.getArguments(), result);
          return result;
        });
        return proxy.getProxy(type.getClassLoader());
      }
    });
  }

  @Override
  public String name() {
    return "pipeline (transactional message + tx_log)";
  }

  @Override
  public void place(long productId, int count) {
    placement.place(productId, count);
  }

  @Override
  public void beginPass() {
    resolvedBefore = ServicePair.counter(services.orderMeters(), RESOLVED);
  }

  /** Deducted, and the outcome back at the order service: the order CONFIRMED. */
  @Override
  public boolean settled(Timeline timeline, int orders) {
    return timeline.deductedCount() >= orders
        && ServicePair.counter(services.orderMeters(), RESOLVED) - resolvedBefore >= orders;
  }

  @Override
  public void close() {
    services.close();
  }
}
