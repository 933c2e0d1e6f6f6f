package io.reliabletx.faults;

import io.reliabletx.order.OrderApplication;
import io.reliabletx.order.transaction.LocalOrderTransaction;
import io.reliabletx.order.transaction.OrderTransactionListener;
import io.reliabletx.stock.StockApplication;
import io.reliabletx.stock.consuming.OrderPlacedHandling;
import io.reliabletx.stock.ledger.StockLedger;
import io.reliabletx.testing.machine.FreePorts;
import io.reliabletx.testing.machine.Pause;
import io.reliabletx.testing.mariadb.EmbeddedMariaDb;
import io.reliabletx.testing.rocketmq.EmbeddedRocketMq;
import io.reliabletx.testing.rocketmq.EmbeddedRocketMqMain;
import io.reliabletx.testing.testbed.ConsistencyCheck;
import io.reliabletx.testing.testbed.Testbed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams orders through two replicas of the order service, the stock service, name server + broker and MariaDB, each
 * a process of its own, while it kills them at named points of the production code (armed through
 * {@code reliabletx.fault-points}, one per service incarnation, at a random pass) and kills, restarts or stalls
 * the broker and the database at random. Then it lets the system quiesce and checks the invariants.
 */
final class FaultSuite {

  /**
   * @param resender false to switch the pending-order resender off (its delay set far beyond the run): then the
   *                 broker's check-back alone must settle every transaction
   */
  record Config(int orders, int minFaults, int concurrency, Path workDir, long seed, boolean resender) {
  }

  /**
   * @param retried    attempts sent again with the same idempotency key (timeouts, resets, refused connections, 5xx, 409)
   * @param checkbacks check-backs the order service answered (COMMIT or ROLLBACK), from the logs of both replicas over
   *                   all incarnations
   * @param resent     order messages the pending-order resender published again
   * @param emptySuccesses every 2xx answer without an order in its body, as logged (URL, version, headers): a service
   *                   must never give one, so any is a failure of the run
   */
  record Result(ConsistencyCheck.Report report, Map<String, Integer> faults, long accepted, long refusedOrFailed,
                long retried, long checkbacks, long resent, List<String> emptySuccesses, List<Path> logs,
                List<String> secrets, Duration elapsed) {
    int totalFaults() {
      return total(faults);
    }

    String summaryLine() {
      return report.summaryLine(totalFaults(), retried, checkbacks, resent);
    }
  }

  /** The named points of the services' production code path where a SIGKILL hurts most. */
  static final List<String> ORDER_POINTS = List.of(LocalOrderTransaction.BEFORE_COMMIT, OrderTransactionListener.AFTER_COMMIT);
  static final List<String> STOCK_POINTS = List.of(StockLedger.BEFORE_COMMIT, OrderPlacedHandling.AFTER_COMMIT);
  static final List<String> NAMED_POINTS = java.util.stream.Stream.concat(ORDER_POINTS.stream(), STOCK_POINTS.stream())
      .toList();

  private final Config config;
  private final Consumer<String> log;
  private final Random random;
  private final Map<String, Integer> faults = new ConcurrentHashMap<>();
  private final Map<String, Integer> incarnations = new ConcurrentHashMap<>();
  private final AtomicBoolean armed = new AtomicBoolean(true);
  private final AtomicBoolean running = new AtomicBoolean(true);
  /** How long clients place orders at most; every wait on them is derived from it. */
  static final Duration LOAD_DEADLINE = Duration.ofMinutes(45);
  static final int MAX_ATTEMPTS = 10;
  /** The services' check-back rollback deadline in the suite; stalls outlast it. */
  static final Duration ROLLBACK_AFTER = Duration.ofSeconds(5);
  /** Order-service replicas: they share the producer group (check-backs go to either) and the resender's state. */
  static final int ORDER_REPLICAS = 2;

  /** 2xx answers without an order in the body, each described (see {@link #place}). */
  private final Queue<String> emptySuccesses = new ConcurrentLinkedQueue<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  /** The suite's services, to tell which incarnation (if any) an answer's X-Served-By names. */
  private final List<ManagedProcess> serviceProcesses = new java.util.concurrent.CopyOnWriteArrayList<>();

  FaultSuite(Config config, Consumer<String> log) {
    this.config = config;
    this.log = log;
    this.random = new Random(config.seed());
  }

  Result run() throws Exception {
    long start = System.nanoTime();
    Files.createDirectories(config.workDir());
    // Every process here restarts on its port: ports outside the kernel's ephemeral range, so that no other process
    // (nor a client's own outgoing connection) takes one while its server is down.
    int nameServerPort = FreePorts.stable();
    int brokerPort = EmbeddedRocketMq.freeBrokerPort();
    int stockPort = FreePorts.stable();
    String nameServer = "127.0.0.1:" + nameServerPort;

    try (Testbed bed = Testbed.startWithExternalBroker(EmbeddedMariaDb.Options.defaults(), nameServer)) {
      int products = 5;
      int stockEach = Math.max(10, config.orders() * 2 * 4 / 5 / products); // ~80 % of expected demand
      Map<Long, Integer> initial = new LinkedHashMap<>();
      for (long p = 1; p <= products; p++) {
        bed.putProduct(p, "product-" + p, stockEach);
        initial.put(p, stockEach);
      }

      ManagedProcess broker = new ManagedProcess("rocketmq",
          () -> ManagedProcess.java(EmbeddedRocketMqMain.class.getName(), List.of(), List.of(
              "--name-server-port", String.valueOf(nameServerPort), "--broker-port", String.valueOf(brokerPort),
              "--store", config.workDir().resolve("rocketmq-store").toString(),
              "--transactional-topic", Testbed.TOPIC, "--topic", Testbed.RESULT_TOPIC)),
          Map.of(), config.workDir().resolve("rocketmq.log"));
      startBroker(broker);

      Map<ManagedProcess, Integer> services = new LinkedHashMap<>();
      for (int replica = 1; replica <= ORDER_REPLICAS; replica++) {
        int port = FreePorts.stable();
        services.put(service("order-" + replica, OrderApplication.class.getName(), ORDER_POINTS,
            environment(bed.orderServiceProperties(), port, config.resender()), port), port);
      }
      List<ManagedProcess> orderReplicas = List.copyOf(services.keySet());
      serviceProcesses.addAll(orderReplicas);
      ManagedProcess stock = service("stock", StockApplication.class.getName(), STOCK_POINTS,
          environment(bed.stockServiceProperties(), stockPort, config.resender()), stockPort);
      services.put(stock, stockPort);
      serviceProcesses.add(stock);
      List<ManagedProcess> all = new ArrayList<>(services.keySet());
      all.add(0, broker);
      try {
        for (Map.Entry<ManagedProcess, Integer> service : services.entrySet()) {
          startService(service.getKey(), service.getValue());
        }

        ExecutorService background = Executors.newFixedThreadPool(services.size() + 1);
        services.forEach((service, port) -> background.execute(() -> supervise(service, port)));
        background.execute(() -> injectInfrastructureFaults(broker, orderReplicas, stock, bed));

        List<String> orderUrls = orderReplicas.stream().map(o -> "http://127.0.0.1:" + services.get(o)).toList();
        List<ConsistencyCheck.ClientRequest> requests = driveOrders(orderUrls, products);
        long accepted = requests.stream().filter(r -> r.status() >= 200 && r.status() < 300).count();
        long retried = requests.stream().mapToLong(r -> r.attempts() - 1).sum();
        log.accept(String.format("load done: %d requests, %d accepted (200/201/202), %d retried attempts; faults so far"
            + " %s", requests.size(), accepted, retried, faults));

        // Quiesce: no more faults; services restarted clean (unarmed) if they are down or still armed.
        armed.set(false);
        running.set(false);
        background.shutdown();
        background.awaitTermination(2, TimeUnit.MINUTES);
        for (Map.Entry<ManagedProcess, Integer> service : services.entrySet()) {
          service.getKey().kill();
          startService(service.getKey(), service.getValue());
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        long pending;
        while ((pending = ConsistencyCheck.pendingOrders(bed)) > 0 && System.nanoTime() < deadline) {
          Thread.sleep(1000);
        }
        log.accept("quiesced with " + pending + " orders pending; 2xx answers without an order: "
            + emptySuccesses.size());
        ConsistencyCheck.Report report = ConsistencyCheck.check(bed, initial, requests);
        long checkbacks = 0;
        long resent = 0;
        for (ManagedProcess replica : orderReplicas) {
          String orderLog = replica.logText();
          long answered = matches(orderLog, "check-back tx \\S+: (COMMIT|ROLLBACK)_MESSAGE");
          long copies = resent(orderLog);
          log.accept(replica.name() + " answered " + answered + " check-backs and published " + copies
              + " copies of pending orders");
          checkbacks += answered;
          resent += copies;
        }
        return new Result(report, Map.copyOf(faults), accepted, requests.size() - accepted, retried,
            checkbacks, resent, List.copyOf(emptySuccesses),
            all.stream().map(ManagedProcess::log).toList(), bed.secrets(), Duration.ofNanos(System.nanoTime() - start));
      } finally {
        all.forEach(ManagedProcess::stop);
      }
    }
  }

  private ManagedProcess service(String name, String mainClass, List<String> points, Map<String, String> env,
                                 int port) {
    return new ManagedProcess(name, () -> {
      List<String> jvm = new ArrayList<>();
      if (armed.get()) {
        // One named point per incarnation, in turn (so every point is armed), acting at a random pass: the supervisor
        // restarts it when it dies there.
        String point = points.get(incarnations.merge(name, 1, Integer::sum) % points.size());
        jvm.add("-Dreliabletx.fault-injection.enabled=true");
        jvm.add("-Dreliabletx.fault-points=" + point + "=halt#" + passScale() * (60 + random.nextInt(240)));
      }
      return ManagedProcess.java(mainClass, jvm, List.of());
    }, env, config.workDir().resolve(name + ".log"));
  }

  /**
   * Larger runs space their faults out (a service dies every 60-300 passes at the CI size of 2,000 orders, every
   * 300-1,500 at 10,000) so that they still make progress: each restart costs 7-16 s on 2 cores, and at 30-150 passes
   * the order service spent ~40 % of a run restarting. The load goes on until every named point was hit.
   */
  private int passScale() {
    return Math.max(1, config.orders() / 2000);
  }

  private static Map<String, String> environment(Map<String, Object> properties, int port, boolean resender) {
    Map<String, String> env = new LinkedHashMap<>(Testbed.asEnvironment(properties));
    env.put("SERVER_PORT", String.valueOf(port));
    env.put("RELIABLETX_CHECK_BACK_ROLLBACK_AFTER", ROLLBACK_AFTER.toSeconds() + "s");
    // With the deadline, the local transaction's bound (the services' own rule: at most half of it) instead of the 1 s
    // the operator derives from the suite's broker: stalls and a loaded machine are the point here, not short timeouts.
    env.put("RELIABLETX_LOCAL_TRANSACTION_TIMEOUT", ROLLBACK_AFTER.dividedBy(2).toMillis() + "ms");
    env.put("RELIABLETX_PENDING_RESEND_AFTER", resender ? "15s" : "24h");
    env.put("RELIABLETX_PENDING_RESEND_INTERVAL", "5s");
    env.put("SPRING_MAIN_BANNER_MODE", "off");
    // One line per request with its X-Request-Id (the client sends key-attempt): an answer can be found in the logs.
    env.put("RELIABLETX_ACCESS_LOG", "true");
    return env;
  }

  private void startBroker(ManagedProcess broker) throws Exception {
    int readyBefore = count(broker.logText(), "READY ");
    broker.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (count(broker.logText(), "READY ") == readyBefore) {
      if (!broker.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("broker did not start; see " + broker.log());
      }
      Thread.sleep(100);
    }
  }

  private void startService(ManagedProcess service, int port) throws Exception {
    service.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!live(port)) {
      if (!service.isAlive()) {
        return; // died at start (e.g. the database is down right now): the supervisor starts it again
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(service.name() + " not live after 120 s; see " + service.log());
      }
      Thread.sleep(200);
    }
  }

  private boolean live(int port) {
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/actuator/health/liveness")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  /** Restarts a service whenever it dies; a death at an armed point counts as that fault. */
  private void supervise(ManagedProcess service, int port) {
    int haltsSeen = 0;
    while (running.get()) {
      try {
        if (!service.isAlive() && !service.stopping()) {
          int halts = count(service.logText(), "FAULT-POINT-HALT ");
          if (halts > haltsSeen) {
            String text = service.logText();
            int at = text.lastIndexOf("FAULT-POINT-HALT ") + "FAULT-POINT-HALT ".length();
            String point = text.substring(at, text.indexOf('\n', at)).strip();
            faults.merge(killedAt(point), 1, Integer::sum);
            log.accept("fault: " + service.name() + " killed at " + point + "; restarting");
            haltsSeen = halts;
          } else {
            log.accept(service.name() + " exited with " + service.exitCode() + "; restarting");
          }
          startService(service, port);
        }
        Thread.sleep(200);
      } catch (Exception e) {
        log.accept("supervisor of " + service.name() + ": " + e);
      }
    }
  }

  /**
   * Every few seconds one of: broker SIGKILL + restart, MariaDB SIGKILL + restart, broker stalled 3 s, MariaDB or the
   * order service stalled for longer than the check-back rollback window (the broker's check-backs then meet a
   * frozen database or no answer, and a frozen local transaction resumes after its deadline), or the order or stock
   * service SIGKILLed at a random moment (not at a named point).
   */
  private void injectInfrastructureFaults(ManagedProcess broker, List<ManagedProcess> orderReplicas,
                                          ManagedProcess stock, Testbed bed) {
    Duration pastRollbackWindow = ROLLBACK_AFTER.plusSeconds(2);
    while (running.get()) {
      try {
        Thread.sleep((long) ((8000 + random.nextInt(8000)) * Math.sqrt(passScale())));
        if (!running.get()) {
          return;
        }
        switch (random.nextInt(6)) {
          case 0 -> {
            log.accept("fault: broker SIGKILL + restart");
            broker.kill();
            startBroker(broker);
            faults.merge("broker killed and restarted", 1, Integer::sum);
          }
          case 1 -> {
            log.accept("fault: MariaDB SIGKILL + restart");
            bed.db().kill();
            Thread.sleep(500);
            bed.db().restart();
            faults.merge("MariaDB killed and restarted", 1, Integer::sum);
          }
          case 2 -> {
            if (broker.stall(Duration.ofSeconds(3))) {
              log.accept("fault: broker stalled (SIGSTOP) for 3 s");
              faults.merge("broker stalled 3 s", 1, Integer::sum);
            }
          }
          case 3 -> {
            log.accept("fault: MariaDB stalled (SIGSTOP) for " + pastRollbackWindow.toSeconds() + " s");
            ManagedProcess.stall(bed.db().pid(), pastRollbackWindow);
            faults.merge("MariaDB stalled past the rollback window", 1, Integer::sum);
          }
          case 4 -> {
            ManagedProcess order = orderReplicas.get(random.nextInt(orderReplicas.size()));
            if (order.stall(pastRollbackWindow)) {
              log.accept("fault: " + order.name() + " stalled (SIGSTOP) for " + pastRollbackWindow.toSeconds() + " s");
              faults.merge("order service stalled past the rollback window", 1, Integer::sum);
            }
          }
          default -> {
            ManagedProcess victim = random.nextBoolean() ? orderReplicas.get(random.nextInt(orderReplicas.size()))
                : stock;
            if (victim.isAlive()) {
              log.accept("fault: " + victim.name() + " SIGKILL at a random moment");
              victim.kill(); // its supervisor restarts it
              faults.merge((victim == stock ? "stock" : "order") + " service killed at a random moment", 1,
                  Integer::sum);
            }
          }
        }
      } catch (Exception e) {
        log.accept("infrastructure fault failed: " + e);
      }
    }
  }

  /**
   * Places orders until {@code config.orders()} were accepted (200/201/202) and enough faults happened, as a careful
   * client would: each order has its own idempotency key, and a timeout, a reset or refused connection, a 5xx or a
   * 409 is retried with the same key and body (up to {@link #MAX_ATTEMPTS} times); a 202 is not retried (the client
   * would poll its transaction). Returns what each request was finally told.
   */
  private List<ConsistencyCheck.ClientRequest> driveOrders(List<String> urls, int products)
      throws InterruptedException {
    Queue<ConsistencyCheck.ClientRequest> told = new ConcurrentLinkedQueue<>();
    AtomicLong accepted = new AtomicLong();
    AtomicInteger next = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(config.concurrency());
    long deadline = System.nanoTime() + LOAD_DEADLINE.toNanos();
    for (int c = 0; c < config.concurrency(); c++) {
      clients.execute(() -> {
        int client = next.incrementAndGet();
        Random r = new Random(config.seed() + client);
        for (int n = 0; System.nanoTime() < deadline && (accepted.get() < config.orders()
            || total(faults) < config.minFaults()
            || !everyNamedPointHit()); n++) {
          ConsistencyCheck.ClientRequest request = place(urls, client, "c" + client + "-" + n,
              1 + r.nextInt(products), 1 + r.nextInt(3), deadline);
          told.add(request);
          if (request.status() >= 200 && request.status() < 300) {
            long a = accepted.incrementAndGet();
            if (a % 500 == 0) {
              log.accept("orders accepted: " + a + ", faults: "
                  + total(faults));
            }
          }
        }
      });
    }
    clients.shutdown();
    if (!clients.awaitTermination(LOAD_DEADLINE.toMinutes() + 2, TimeUnit.MINUTES)) {
      throw new IllegalStateException("clients still running past the load deadline");
    }
    return List.copyOf(told);
  }

  /** How many faults a count by kind holds in all. */
  static int total(Map<String, Integer> faultsByKind) {
    return faultsByKind.values().stream().mapToInt(Integer::intValue).sum();
  }

  private boolean everyNamedPointHit() {
    return NAMED_POINTS.stream().allMatch(point -> faults.containsKey(killedAt(point)));
  }

  static String killedAt(String point) {
    return "kill at " + point;
  }

  /**
   * One client request: first to the client's own replica, each retry to the next one, as a load balancer in front of
   * the replicas would send it (a retry with the same key may so land on the replica that is still recording it).
   */
  private ConsistencyCheck.ClientRequest place(List<String> urls, int client, String key, long productId, int count,
                                               long deadline) {
    String body = "{\"productId\":" + productId + ",\"count\":" + count + "}";
    int status = 0;
    String responseBody = "";
    boolean everyAttemptAnswered = true;
    int attempts = 0;
    while (attempts < MAX_ATTEMPTS && System.nanoTime() < deadline) {
      String url = urls.get((client + attempts) % urls.size());
      attempts++;
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/orders"))
            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").header("Idempotency-Key", key)
            .header("X-Request-Id", key + "-" + attempts)
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        status = response.statusCode();
        responseBody = response.body();
        if (status >= 200 && status < 300 && field(responseBody, "orderNo") == null) {
          // Seen 2 times in 38,999 requests of a 10,000-order run (and 3 in an earlier one, around a MariaDB kill): a
          // 2xx without a body, and no order under the key. The services now refuse to send one (a 2xx without a body
          // becomes a 500) and name their replica and the request in every answer (X-Served-By, X-Request-Id): one
          // without those headers came from another listener on the port. Either way the run fails on it; the client
          // still asks again with the same key, as it would after a 5xx, so that the rest of the run stays meaningful.
          String evidence = "request " + key + " attempt " + attempts + " to " + url + " answered " + status + " ("
              + response.version() + ", headers " + response.headers().map() + ") without an orderNo: '"
              + responseBody.substring(0, Math.min(500, responseBody.length())) + "'; " + servedBy(response);
          log.accept(evidence);
          emptySuccesses.add(evidence);
        } else if (status < 500 && status != 409) {
          break; // an answer to keep: an order (200/201/202) or a refusal of the request itself (4xx)
        }
      } catch (Exception e) {
        status = 0; // no answer: timed out, reset or refused (the service is down and being restarted)
        everyAttemptAnswered = false;
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      Pause.millis(200L * attempts); // back off, as a client would
    }
    boolean withOrder = status >= 200 && status < 300;
    return new ConsistencyCheck.ClientRequest(key, productId, count, status,
        withOrder ? field(responseBody, "orderNo") : null, withOrder ? field(responseBody, "txNo") : null, attempts,
        everyAttemptAnswered);
  }

  /**
   * Which of the suite's service incarnations answered, by the pid its X-Served-By names; an answer without one came
   * from no service of this run (another listener on the port) or through a path that bypassed the services' filters.
   */
  private String servedBy(HttpResponse<?> response) {
    String servedBy = response.headers().firstValue("X-Served-By").orElse(null);
    if (servedBy == null) {
      return "no X-Served-By: not answered by a service of this run";
    }
    Matcher pid = Pattern.compile(" pid (\\d+)$").matcher(servedBy);
    long answering = pid.find() ? Long.parseLong(pid.group(1)) : -1;
    String incarnation = serviceProcesses.stream().filter(p -> p.pids().contains(answering))
        .map(p -> p.name() + " incarnation " + (p.pids().indexOf(answering) + 1) + " of " + p.pids().size())
        .findFirst().orElse("no incarnation of this run's services");
    return "served by " + servedBy + " (" + incarnation + "), request id "
        + response.headers().firstValue("X-Request-Id").orElse("none") + ": see its access log";
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : null;
  }

  private static long matches(String text, String regex) {
    return Pattern.compile(regex).matcher(text).results().count();
  }

  /** Sums "N orders pending for over S s: their messages were published again" over the order service's log. */
  private static long resent(String orderLog) {
    Matcher m = Pattern.compile("(\\d+) orders pending for over").matcher(orderLog);
    long sum = 0;
    while (m.find()) {
      sum += Long.parseLong(m.group(1));
    }
    return sum;
  }

  private static int count(String text, String marker) {
    int n = 0;
    for (int i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + 1)) {
      n++;
    }
    return n;
  }
}
