package io.reliabletx.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the rows of scripts/bench-http.sh (one per connection count and repetition) into bench/results/http-front.md:
 * the median and min–max of every figure per connection count, and the goals of issue 15 item 3, met or not.
 */
public final class HttpFrontReport {

  static final double GOAL_ACCEPTED_PER_SECOND = 1500;
  static final double GOAL_P99_MS = 100;
  static final int GOAL_CONNECTIONS = 64;
  /** "End to end keeps up": orders resolve at >= this share of the rate they were accepted, over the point. */
  static final double KEEPS_UP = 0.95;

  /** One point: a wrk run and what the orders database says about its orders afterwards. */
  record Run(Map<String, String> f) {
    double d(String k) {
      String v = f.get(k);
      return v == null || v.isBlank() || v.equals("NULL") ? Double.NaN : Double.parseDouble(v);
    }

    int connections() {
      return (int) d("connections");
    }

    double accepted() {
      return d("s201") + d("s202");
    }

    double acceptedPerSecond() {
      return accepted() / d("duration_s");
    }

    double non2xx() {
      return d("s4xx") + d("s5xx") + d("sother");
    }

    /** Seconds from the end of the load to the last order's resolution (0 if all resolved during the load). */
    double drainSeconds() {
      return Math.max(0, d("last_update") - d("load_end"));
    }

    /** Orders resolved per second, from the first order's creation to the last one's resolution (database clock). */
    double resolvedPerSecond() {
      return (d("confirmed") + d("cancelled")) / (d("last_update") - d("first_create"));
    }

    double keepUp() {
      return resolvedPerSecond() / acceptedPerSecond();
    }

    double cpuPerThousand(String process) {
      return d("cpu_" + process + "_s") / d("orders") * 1000;
    }

    double otherCores() {
      return d("other_cores");
    }

    double maxLoad() {
      return Math.max(Double.parseDouble(f.get("loadavg_before").split(" ")[0]),
          Double.parseDouble(f.get("loadavg_after").split(" ")[0]));
    }
  }

  private HttpFrontReport() {
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Path runsFile = Path.of(a.get("runs"));
    Path out = Path.of(a.get("out"));
    List<String> lines = Files.readAllLines(runsFile);
    String[] header = lines.get(0).split("\t");
    Map<Integer, List<Run>> byConnections = new TreeMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split("\t");
      Map<String, String> f = new LinkedHashMap<>();
      for (int i = 0; i < header.length && i < cells.length; i++) {
        f.put(header[i], cells[i]);
      }
      Run run = new Run(f);
      byConnections.computeIfAbsent(run.connections(), c -> new ArrayList<>()).add(run);
    }
    String report = report(byConnections, a, runsFile);
    Files.writeString(out, report);
    System.out.println(report);
    System.out.println("written to " + out + " (rows: " + runsFile + ")");
  }

  static String report(Map<Integer, List<Run>> byC, Map<String, String> a, Path runsFile) {
    List<Run> all = byC.values().stream().flatMap(List::stream).toList();
    int repeats = byC.values().stream().mapToInt(List::size).min().orElse(0);
    double maxLoad = all.stream().mapToDouble(Run::maxLoad).max().orElse(0);
    double maxOther = all.stream().mapToDouble(Run::otherCores).max().orElse(0);
    StringBuilder sb = new StringBuilder();
    sb.append("# HTTP front, measured from outside\n\n");
    sb.append(String.format(Locale.ROOT, "Run %s with `scripts/bench-http.sh` on %s, %s cores, Java %s, MariaDB %s"
            + " (`innodb_flush_log_at_trx_commit=1`), the tests' in-process RocketMQ 5.3.3 (one name server + one"
            + " broker in one JVM, ASYNC_FLUSH), %s. The order and stock services run as their own `java -jar`"
            + " processes (`-Xmx%s`, default GC) wired by the environment contract; the client is wrk with %s threads,"
            + " each request `POST /orders` with its own `Idempotency-Key` and body, cycling over %s products (1–3"
            + " units; stock enough that every order is CONFIRMED). Each point: %s s of load, then the wait until no"
            + " order of that point is PENDING; %d repetitions per connection count, the order of the counts rotated"
            + " between repetitions, after an uncounted warm-up of %s s at 64 connections. Extra JVM options: %s;"
            + " extra order-service environment: %s. Everything (client, services, broker, database)"
            + " shares the same cores, under `nice -n 10`.%n%n",
        LocalDate.now(), a.getOrDefault("cpu", "?"), a.getOrDefault("cores", "?"), System.getProperty("java.version"),
        a.getOrDefault("mariadb", "?"), a.getOrDefault("wrk", "wrk"), a.getOrDefault("service-heap", "?"),
        a.getOrDefault("threads", "?"), a.getOrDefault("products", "?"), a.getOrDefault("duration", "?"), repeats,
        a.getOrDefault("warmup", "?"), a.getOrDefault("jvm-options", "none"), a.getOrDefault("order-env", "none")));
    sb.append(String.format(Locale.ROOT, "Load average (1/5/15 min) at the start: %s; at the end: %s; highest 1-min"
        + " value seen at any point's start or end: %.2f.", a.getOrDefault("load-start", "?"),
        a.getOrDefault("load-end", "?"), maxLoad));
    sb.append(String.format(Locale.ROOT, " The load average counts this benchmark's own threads (up to 128 request"
        + " threads, and tasks waiting on disk flushes); what the rest of the machine used meanwhile is measured apart:"
        + " busy CPU from `/proc/stat` less this benchmark's processes, at most %.2f cores during a point.", maxOther));
    if (maxOther > 0.2) {
      sb.append(" **Other processes used more than 0.2 cores during the run: these figures were taken on a shared"
          + " machine** (other engineers' builds); see each point's figures below.");
    } else {
      sb.append(" The rest of the machine was quiet.");
    }
    sb.append("\n\nEvery figure: median (min–max) over the repetitions.\n\n");

    sb.append("## Accepted orders (the HTTP front)\n\n");
    sb.append("| connections | accepted orders/s (201+202) | p50 ms | p95 ms | p99 ms | non-2xx | socket errors |\n");
    sb.append("|---:|---:|---:|---:|---:|---:|---:|\n");
    byC.forEach((c, runs) -> sb.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s |%n", c,
        Spread.of(runs, Run::acceptedPerSecond).format("%.0f"), Spread.of(runs, r -> r.d("p50_ms")).format("%.1f"),
        Spread.of(runs, r -> r.d("p95_ms")).format("%.1f"), Spread.of(runs, r -> r.d("p99_ms")).format("%.1f"),
        Spread.of(runs, Run::non2xx).format("%.0f"), Spread.of(runs, r -> r.d("socket_errors")).format("%.0f"))));
    sb.append("\n202s (outcome being settled by check-back) among the accepted: ");
    sb.append(String.format(Locale.ROOT, "%.0f in all; 200s (replays) %.0f.%n%n",
        all.stream().mapToDouble(r -> r.d("s202")).sum(), all.stream().mapToDouble(r -> r.d("s200")).sum()));

    sb.append("## End to end (accepted → CONFIRMED/CANCELLED, from the orders database)\n\n");
    sb.append("| connections | orders per point | PENDING when the load stopped | s from the load's end to the last"
        + " resolution | resolved orders/s (first creation → last resolution) | resolved/accepted rate |"
        + " CANCELLED |\n");
    sb.append("|---:|---:|---:|---:|---:|---:|---:|\n");
    byC.forEach((c, runs) -> sb.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s |%n", c,
        Spread.of(runs, r -> r.d("orders")).format("%.0f"), Spread.of(runs, r -> r.d("pending_at_load_end")).format("%.0f"),
        Spread.of(runs, Run::drainSeconds).format("%.2f"), Spread.of(runs, Run::resolvedPerSecond).format("%.0f"),
        Spread.of(runs, Run::keepUp).format("%.2f"), Spread.of(runs, r -> r.d("cancelled")).format("%.0f"))));
    long notDrained = all.stream().filter(r -> !"yes".equals(r.f().get("drained"))).count();
    long mismatched = all.stream().filter(r -> r.d("orders") < r.d("s201")).count();
    sb.append(String.format(Locale.ROOT, "%nPoints whose orders did not all resolve within 5 minutes: %d. Points with"
        + " fewer order rows than 201 answers: %d.%n%n", notDrained, mismatched));

    sb.append("## CPU seconds per 1,000 orders, by process (`/proc/<pid>/stat` utime+stime, load and drain)\n\n");
    sb.append("| connections | order service | stock service | broker JVM (name server + broker) | MariaDB | wrk | all |\n");
    sb.append("|---:|---:|---:|---:|---:|---:|---:|\n");
    byC.forEach((c, runs) -> sb.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s |%n", c,
        Spread.of(runs, r -> r.cpuPerThousand("order")).format("%.2f"),
        Spread.of(runs, r -> r.cpuPerThousand("stock")).format("%.2f"),
        Spread.of(runs, r -> r.cpuPerThousand("broker")).format("%.2f"),
        Spread.of(runs, r -> r.cpuPerThousand("mariadb")).format("%.2f"),
        Spread.of(runs, r -> r.cpuPerThousand("wrk")).format("%.2f"),
        Spread.of(runs, r -> Arrays.stream(new String[] {"order", "stock", "broker", "mariadb", "wrk"})
            .mapToDouble(r::cpuPerThousand).sum()).format("%.2f"))));

    sb.append("\n## Goals (issue 15, item 3)\n\n");
    List<Run> at = byC.getOrDefault(GOAL_CONNECTIONS, List.of());
    if (at.isEmpty()) {
      sb.append("Not measured at ").append(GOAL_CONNECTIONS).append(" connections.\n");
    } else {
      Spread acc = Spread.of(at, Run::acceptedPerSecond);
      Spread p99 = Spread.of(at, r -> r.d("p99_ms"));
      sb.append(String.format(Locale.ROOT, "- ≥ %.0f orders/s accepted at %d connections: **%s** (median %.0f, %s)%n",
          GOAL_ACCEPTED_PER_SECOND, GOAL_CONNECTIONS, acc.median() >= GOAL_ACCEPTED_PER_SECOND ? "met" : "not met",
          acc.median(), acc.format("%.0f")));
      sb.append(String.format(Locale.ROOT, "- p99 ≤ %.0f ms at %d connections: **%s** (median %.1f ms, %s)%n",
          GOAL_P99_MS, GOAL_CONNECTIONS, p99.median() <= GOAL_P99_MS ? "met" : "not met", p99.median(),
          p99.format("%.1f")));
    }
    StringBuilder keep = new StringBuilder();
    boolean allKeepUp = notDrained == 0;
    for (Map.Entry<Integer, List<Run>> e : byC.entrySet()) {
      Spread k = Spread.of(e.getValue(), Run::keepUp);
      Spread drain = Spread.of(e.getValue(), Run::drainSeconds);
      allKeepUp &= k.median() >= KEEPS_UP;
      keep.append(String.format(Locale.ROOT, "%s%d connections: resolved/accepted %.2f, last order resolved %.2f s"
          + " after the load", keep.length() == 0 ? "" : "; ", e.getKey(), k.median(), drain.median()));
    }
    sb.append(String.format(Locale.ROOT, "- end to end keeping up (orders resolve at ≥ %.2f of the accepted rate,"
        + " every order resolved): **%s** (%s)%n", KEEPS_UP, allKeepUp ? "met" : "not met", keep));

    sb.append("\nWhere the order service's time goes (JFR) and what was tried: [tuning.md](tuning.md), section"
        + " \"HTTP front\".\n");
    sb.append("\n## Every point\n\n");
    sb.append("| connections | tag | accepted/s | p99 ms | PENDING at end | drain s | other processes, cores |"
        + " load avg before → after |\n");
    sb.append("|---:|---|---:|---:|---:|---:|---:|---|\n");
    for (Run r : all) {
      sb.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.1f | %.0f | %.2f | %.2f | %s → %s |%n",
          r.connections(), r.f().get("tag"), r.acceptedPerSecond(), r.d("p99_ms"), r.d("pending_at_load_end"),
          r.drainSeconds(), r.otherCores(), r.f().get("loadavg_before"), r.f().get("loadavg_after")));
    }
    sb.append(String.format("%nRaw rows: [%s](%s).%n", runsFile.getFileName(), runsFile.getFileName()));
    return sb.toString();
  }
}
