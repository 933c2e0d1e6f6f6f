package io.reliabletx.sample.common.faults;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test-only hooks at the named points of the production code path where a crash or failure matters most
 * (after the half message is sent, around the local commit, inside the deduction...). Unarmed, a point is a map
 * look-up and nothing else. Armed from the property {@code reliabletx.fault-points}
 * ({@code point=action[@probability|#pass][,...]}: {@code order.local-tx.after-commit=halt@0.01} acts on 1 % of
 * passes, {@code ...=halt#40} on the 40th pass) or by a test through {@link #arm}. Actions: {@code halt} kills the
 * JVM at once (as SIGKILL would), {@code throw} fails there. Nothing can be armed unless
 * {@code reliabletx.fault-injection.enabled=true}: a production service gets {@link #off()}.
 */
public final class FaultPoints {

  private static final Logger LOG = LoggerFactory.getLogger(FaultPoints.class);

  public enum Action { HALT, THROW }

  /** Thrown at an armed {@code throw} point. */
  public static final class InjectedFault extends RuntimeException {
    public InjectedFault(String point) {
      super("fault injected at " + point);
    }
  }

  /** Acts when {@code skip} has counted down to zero, then for {@code remaining} passes with {@code probability}. */
  private record Armed(Action action, double probability, AtomicInteger skip, AtomicInteger remaining) {
  }

  private final Map<String, Armed> armed = new ConcurrentHashMap<>();
  private final Map<String, String> armedFromSpec = new ConcurrentHashMap<>();
  private final boolean enabled;

  /** Fault points that cannot be armed: every {@link #reach} is a no-op. */
  public static FaultPoints off() {
    return new FaultPoints(false);
  }

  private FaultPoints(boolean enabled) {
    this.enabled = enabled;
  }

  /** Enabled fault points, armed from {@code spec} (may be blank). */
  public FaultPoints(String spec) {
    this.enabled = true;
    if (spec == null || spec.isBlank()) {
      return;
    }
    for (String entry : spec.split(",")) {
      String[] pointAndAction = entry.strip().split("=", 2);
      if (pointAndAction.length != 2) {
        throw new IllegalArgumentException("reliabletx.fault-points: expected point=action[@probability], got '" + entry + "'");
      }
      String[] parts = pointAndAction[1].split("[@#]", 2);
      Action action = Action.valueOf(parts[0].strip().toUpperCase());
      boolean onPass = pointAndAction[1].contains("#");
      double probability = parts.length == 2 && !onPass ? Double.parseDouble(parts[1]) : 1.0;
      int skip = onPass ? Integer.parseInt(parts[1].strip()) - 1 : 0;
      armed.put(pointAndAction[0].strip(), new Armed(action, probability, new AtomicInteger(skip),
          new AtomicInteger(Integer.MAX_VALUE)));
      armedFromSpec.put(pointAndAction[0].strip(), pointAndAction[1].strip());
      LOG.warn("fault point {} armed: {} ({})", pointAndAction[0].strip(), action, pointAndAction[1]);
    }
  }

  /** Arms a point for the next {@code times} passes (tests). */
  public void arm(String point, Action action, int times) {
    if (!enabled) {
      throw new IllegalStateException("fault injection is off (reliabletx.fault-injection.enabled=false)");
    }
    armed.put(point, new Armed(action, 1.0, new AtomicInteger(0), new AtomicInteger(times)));
  }

  public boolean enabled() {
    return enabled;
  }

  /** The points armed from {@code reliabletx.fault-points}, with their action, as configured. */
  public Map<String, String> armedFromSpec() {
    return Map.copyOf(armedFromSpec);
  }

  public void disarmAll() {
    armed.clear();
  }

  /** Called by production code at a named point. */
  public void reach(String point) {
    Armed a = armed.get(point);
    if (a == null || a.probability() < 1.0 && ThreadLocalRandom.current().nextDouble() >= a.probability()) {
      return;
    }
    if (a.skip().get() > 0 && a.skip().getAndDecrement() > 0 || a.remaining().getAndDecrement() <= 0) {
      return;
    }
    LOG.warn("fault point {} reached: {}", point, a.action());
    if (a.action() == Action.HALT) {
      System.err.println("FAULT-POINT-HALT " + point);
      System.err.flush();
      Runtime.getRuntime().halt(137);
    }
    throw new InjectedFault(point);
  }
}
