package io.reliabletx.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A child JVM the suite can SIGKILL, SIGSTOP/SIGCONT and start again with the same ports and data. Every
 * incarnation appends to one log file, which the suite reads (fault markers) and greps (no secrets).
 */
final class ManagedProcess {

  private final String name;
  private final Supplier<List<String>> command;
  private final Map<String, String> environment;
  private final Path log;
  private volatile Process process;
  private volatile boolean stopping;
  private final List<Long> pids = new java.util.concurrent.CopyOnWriteArrayList<>();

  ManagedProcess(String name, Supplier<List<String>> command, Map<String, String> environment, Path log) {
    this.name = name;
    this.command = command;
    this.environment = environment;
    this.log = log;
  }

  /** A JVM on this test's class path running {@code mainClass}. */
  static List<String> java(String mainClass, List<String> jvmOptions, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k"));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    cmd.addAll(args);
    return cmd;
  }

  /** The pid of every incarnation, in order. */
  List<Long> pids() {
    return pids;
  }

  String name() {
    return name;
  }

  Path log() {
    return log;
  }

  synchronized void start() {
    ProcessBuilder pb = new ProcessBuilder(command.get()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(environment);
    try {
      process = pb.start();
      pids.add(process.pid());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name, e);
    }
  }

  boolean isAlive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** Exit code of the last incarnation, or -1 while it runs. */
  int exitCode() {
    Process p = process;
    return p == null || p.isAlive() ? -1 : p.exitValue();
  }

  /** SIGKILL: no shutdown hook, no clean close, as a crash or an OOM kill. */
  void kill() {
    Process p = process;
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * SIGSTOP for a while, then SIGCONT: every connection to it stalls, as in a network partition or a long GC pause.
   * Returns false (nothing stalled) when it is not running.
   */
  boolean stall(Duration duration) throws InterruptedException {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return false;
    }
    stall(p.pid(), duration);
    return true;
  }

  /** {@link #stall(Duration)} of any process of the suite's, e.g. the database server. */
  static void stall(long pid, Duration duration) throws InterruptedException {
    signal("STOP", pid);
    try {
      Thread.sleep(duration.toMillis());
    } finally {
      signal("CONT", pid);
    }
  }

  /** Clean stop (SIGTERM, shutdown hooks run), for the end of the suite. */
  void stop() {
    stopping = true;
    Process p = process;
    if (p != null && p.isAlive()) {
      p.destroy();
      try {
        if (!p.waitFor(40, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }

  boolean stopping() {
    return stopping;
  }

  String logText() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void signal(String signal, long pid) {
    try {
      new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start().waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
