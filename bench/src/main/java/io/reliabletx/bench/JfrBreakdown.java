package io.reliabletx.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU samples go, by component: for each {@code jdk.ExecutionSample} the innermost frame that
 * belongs to a known library (JDBC driver, RocketMQ client, Tomcat, Spring, Jackson, ...) takes the sample; a sample
 * with JDK frames only is "JDK only". Reads the recording itself (jdk.jfr.consumer); frames are named as
 * {@code jfr print} names them ({@code java.util.HashMap.getNode(Object)}), hidden frames (lambda forms) left out
 * as it leaves them out, the first 64 of each stack as with {@code jfr print --stack-depth 64}.
 *
 * <pre>
 *   java -cp bench/target/reliable-tx-bench-exec.jar -Dloader.main=io.reliabletx.bench.JfrBreakdown \
 *     org.springframework.boot.loader.launch.PropertiesLauncher order.jfr \
 *     [--from HH:MM:SS --to HH:MM:SS] [--thread SUBSTRING] [--stack-depth 64]
 * </pre>
 *
 * --from/--to: the samples' wall-clock time of day in this machine's time zone, to the second, both ends included
 * (as {@code jfr print} shows them); --thread: keep the threads whose name, digits replaced by N, contains it.
 * Prints the share of each component, the threads, and the hottest top frames.
 */
public final class JfrBreakdown {

  record Component(String name, Pattern pattern) {
    Component(String name, String regex) {
      this(name, Pattern.compile(regex));
    }
  }

  /** In order: a frame goes to the first component whose pattern occurs in its name. */
  static final List<Component> COMPONENTS = List.of(
      new Component("MySQL JDBC driver", "com\\.mysql\\.cj"),
      new Component("HikariCP", "com\\.zaxxer"),
      new Component("MyBatis", "org\\.apache\\.ibatis|org\\.mybatis"),
      new Component("RocketMQ broker (embedded in the data-plane bench)",
          "org\\.apache\\.rocketmq\\.(broker|store|namesrv|tieredstore)"),
      new Component("RocketMQ client", "org\\.apache\\.rocketmq"),
      new Component("fastjson (RocketMQ's)", "com\\.alibaba\\.fastjson"),
      new Component("Netty", "io\\.netty"),
      new Component("Jackson", "com\\.fasterxml\\.jackson"),
      new Component("Hibernate Validator", "org\\.hibernate\\.validator"),
      new Component("Micrometer (observations, metrics)", "io\\.micrometer"),
      new Component("logback/slf4j", "ch\\.qos\\.logback|org\\.slf4j"),
      new Component("Tomcat", "org\\.apache\\.(coyote|catalina|tomcat)"),
      new Component("Spring (MVC, tx, beans)", "org\\.springframework"),
      new Component("our code (io.reliabletx)", "io\\.reliabletx"));
  static final String JDK_ONLY = "JDK only";
  static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";
  private static final Pattern DIGITS = Pattern.compile("\\p{Nd}+");

  private JfrBreakdown() {
  }

  /** The component of one frame ({@code package.Class.method(Params)}), or null for the JDK and unknown code. */
  static String component(String frame) {
    for (Component c : COMPONENTS) {
      if (c.pattern().matcher(frame).find()) {
        return c.name();
      }
    }
    return null;
  }

  /** The component of a sample: that of its innermost frame that has one. Frames innermost first. */
  static String classify(List<String> frames) {
    for (String frame : frames) {
      String hit = component(frame);
      if (hit != null) {
        return hit;
      }
    }
    return JDK_ONLY;
  }

  /** A thread's name with every run of digits replaced by N, so a pool's threads count together. */
  static String threadKey(String name) {
    return DIGITS.matcher(name).replaceAll("N");
  }

  /**
   * A method as {@code jfr print} writes it: type, method, parameter types without their package, e.g.
   * {@code java.util.HashMap.putVal(int, Object, Object, boolean, boolean)}.
   */
  static String formatMethod(RecordedMethod m) {
    return formatMethod(m.getType().getName(), m.getName(), m.getDescriptor());
  }

  static String formatMethod(String typeName, String methodName, String descriptor) {
    StringJoiner params = new StringJoiner(", ", typeName + "." + methodName + "(", ")");
    String d = descriptor.replace('/', '.');
    String p = d.substring(1, d.lastIndexOf(')'));
    for (int i = 0; i < p.length(); i++) {
      StringBuilder brackets = new StringBuilder();
      while (p.charAt(i) == '[') {
        brackets.append("[]");
        i++;
      }
      String type;
      switch (p.charAt(i)) {
        case 'L' -> {
          int end = p.indexOf(';', i);
          type = p.substring(i + 1, end);
          i = end;
        }
        case 'I' -> type = "int";
        case 'J' -> type = "long";
        case 'Z' -> type = "boolean";
        case 'D' -> type = "double";
        case 'F' -> type = "float";
        case 'S' -> type = "short";
        case 'C' -> type = "char";
        case 'B' -> type = "byte";
        default -> type = "<unknown-descriptor-type>";
      }
      params.add(type.substring(type.lastIndexOf('.') + 1) + brackets);
    }
    return params.toString();
  }

  /** The thread's name as {@code jfr print} shows it: the Java name, or the OS name for a thread without one. */
  static String threadName(RecordedThread t) {
    return String.valueOf(t.getJavaThreadId() > 0 ? t.getJavaName() : t.getOSName());
  }

  /**
   * The sample's Java frames, innermost first, at most {@code depth}, each as {@code jfr print} names it; like
   * {@code jfr print}, without hidden frames (lambda forms, method handle holders).
   */
  static List<String> frames(RecordedStackTrace stack, int depth) {
    List<String> frames = new ArrayList<>();
    for (RecordedFrame f : stack.getFrames()) {
      if (frames.size() >= depth) {
        break;
      }
      if (f.isJavaFrame() && !f.getMethod().isHidden()) {
        frames.add(formatMethod(f.getMethod()));
      }
    }
    return frames;
  }

  /** Counts by key, most first; ties in the order the keys were first seen. */
  static final class Tally {
    private final Map<String, Integer> counts = new LinkedHashMap<>();

    void add(String key) {
      counts.merge(key, 1, Integer::sum);
    }

    int total() {
      return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    List<Map.Entry<String, Integer>> mostCommon(int n) {
      List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
      entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed()); // stable
      return entries.subList(0, Math.min(n, entries.size()));
    }
  }

  /** A percentage to one decimal, rounded half to even on the double's exact value (as Python's %.1f). */
  static String percent(int count, int total) {
    double share = 100.0 * count / total;
    return new BigDecimal(share).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
  }

  static String report(Tally byComponent, Tally byThread, Tally top) {
    int samples = byComponent.total();
    int total = samples == 0 ? 1 : samples;
    StringBuilder sb = new StringBuilder();
    sb.append(samples).append(" samples\n");
    Object[][] sections = {{"component", byComponent, 20}, {"thread", byThread, 10}, {"top frame", top, 15}};
    for (Object[] s : sections) {
      sb.append('\n').append(s[0]).append(":\n");
      for (Map.Entry<String, Integer> e : ((Tally) s[1]).mostCommon((Integer) s[2])) {
        sb.append(String.format("  %6d %5s %%  %s\n", e.getValue(), percent(e.getValue(), total), e.getKey()));
      }
    }
    return sb.toString();
  }

  public static void main(String[] args) throws IOException {
    Path recording = null;
    LocalTime from = null;
    LocalTime to = null;
    String thread = null;
    int depth = 64;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--") && i + 1 >= args.length) {
        usage(a + " takes a value");
      }
      switch (a) {
        case "--from" -> from = time(args[++i]);
        case "--to" -> to = time(args[++i]);
        case "--thread" -> thread = args[++i];
        case "--stack-depth" -> depth = Integer.parseInt(args[++i]);
        default -> {
          if (a.startsWith("--") || recording != null) {
            usage("unexpected argument " + a);
          }
          recording = Path.of(a);
        }
      }
    }
    if (recording == null) {
      usage("the recording (.jfr) is missing");
    }

    List<RecordedEvent> samples = new ArrayList<>();
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent e = file.readEvent();
        if (e.getEventType().getName().equals(EXECUTION_SAMPLE)) {
          samples.add(e);
        }
      }
    }
    samples.sort(Comparator.comparing(RecordedEvent::getEndTime)); // jfr print's order

    ZoneId zone = ZoneId.systemDefault();
    Tally byComponent = new Tally();
    Tally byThread = new Tally();
    Tally top = new Tally();
    for (RecordedEvent e : samples) {
      LocalTime when = e.getStartTime().atZone(zone).toLocalTime().truncatedTo(ChronoUnit.SECONDS);
      if ((from != null && when.isBefore(from)) || (to != null && when.isAfter(to))) {
        continue;
      }
      RecordedThread t = e.getThread("sampledThread");
      String name = t == null ? "?" : threadKey(threadName(t));
      if (thread != null && !name.contains(thread)) {
        continue;
      }
      RecordedStackTrace stack = e.getStackTrace();
      if (stack == null) {
        continue;
      }
      List<String> frames = frames(stack, depth);
      byComponent.add(classify(frames));
      byThread.add(name);
      if (!frames.isEmpty()) {
        top.add(frames.get(0));
      }
    }
    System.out.print(report(byComponent, byThread, top));
  }

  private static LocalTime time(String hhmmss) {
    try {
      return LocalTime.parse(hhmmss).truncatedTo(ChronoUnit.SECONDS);
    } catch (RuntimeException e) {
      usage("not a time of day (HH:MM:SS): " + hhmmss);
      return null;
    }
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println("usage: JfrBreakdown RECORDING.jfr [--from HH:MM:SS --to HH:MM:SS] [--thread SUBSTRING]"
        + " [--stack-depth 64]");
    System.exit(2);
  }
}
