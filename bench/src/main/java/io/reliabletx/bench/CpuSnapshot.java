package io.reliabletx.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU used so far by this JVM (clients, both services and the embedded broker), by MariaDB's server process (from
 * {@code /proc}), and by each thread of this JVM, so that a pass's cost can be split by process and by part.
 */
record CpuSnapshot(long jvmNanos, long databaseNanos, Map<Long, ThreadCpu> threads) {

  record ThreadCpu(String name, long nanos) {
  }

  /** The parts of this JVM a thread's name tells apart, in report order. */
  static final List<String> PARTS = List.of("clients placing orders", "consumer threads", "RocketMQ client I/O",
      "broker and name server", "other threads", "GC, JIT, ended threads");

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

  static CpuSnapshot take(long databasePid) {
    Map<Long, ThreadCpu> threads = new HashMap<>();
    for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (t != null) {
        long cpu = THREADS.getThreadCpuTime(t.getThreadId());
        if (cpu >= 0) {
          threads.put(t.getThreadId(), new ThreadCpu(t.getThreadName(), cpu));
        }
      }
    }
    long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
    return new CpuSnapshot(jvm, processCpuNanos(databasePid), threads);
  }

  /** utime + stime of a process, from {@code /proc/PID/stat}. */
  static long processCpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // f[0] is field 3 (state)
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
      return ticks * 1_000_000_000L / CLOCK_TICKS_PER_SECOND;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the CPU time of process " + pid, e);
    }
  }

  /**
   * CPU of this JVM's threads since {@code before}, by part, with the pass's client threads' own total; the process total less the threads seen is the JVM's own
   * (GC and JIT threads are not Java threads) and threads that started and ended in between.
   */
  Map<String, Long> partsSince(CpuSnapshot before, long clientThreadsNanos) {
    Map<String, Long> parts = new LinkedHashMap<>();
    PARTS.forEach(p -> parts.put(p, 0L));
    // The clients' threads end with their pass; they report their own CPU time as they end.
    parts.put("clients placing orders", clientThreadsNanos);
    long seen = clientThreadsNanos;
    for (Map.Entry<Long, ThreadCpu> e : threads.entrySet()) {
      ThreadCpu earlier = before.threads().get(e.getKey());
      long delta = e.getValue().nanos() - (earlier == null ? 0 : earlier.nanos());
      parts.merge(part(e.getValue().name()), delta, Long::sum);
      seen += delta;
    }
    parts.merge("GC, JIT, ended threads", Math.max(0, (jvmNanos - before.jvmNanos()) - seen), Long::sum);
    return parts;
  }

  static String part(String thread) {
    if (thread.startsWith(DataPlaneBench.CLIENT_THREAD)) {
      return "clients placing orders";
    }
    if (thread.startsWith("ConsumeMessageThread") || thread.equals("outbox-poller")) {
      return "consumer threads";
    }
    if (thread.startsWith("NettyClient") || thread.contains("MQClientFactory") || thread.startsWith("PullMessageService")
        || thread.startsWith("RebalanceService") || thread.startsWith("ClientHouseKeeping")
        || thread.startsWith("DefaultMQPushConsumer") || thread.startsWith("MQClientInstance")) {
      return "RocketMQ client I/O";
    }
    if (thread.startsWith("http-nio") || thread.startsWith("HikariPool") || thread.startsWith("Attach")
        || thread.startsWith("Signal") || thread.startsWith("Reference") || thread.startsWith("Finalizer")
        || thread.startsWith("Common-Cleaner") || thread.startsWith("main") || thread.startsWith("scheduling")
        || thread.contains("CompilerThread")) {
      return "other threads";
    }
    return "broker and name server"; // the embedded RocketMQ's many thread names
  }
}
