package io.reliabletx.bench;

import io.reliabletx.sample.common.SampleServices;
import io.reliabletx.testing.machine.FreePorts;
import io.reliabletx.testing.mariadb.EmbeddedMariaDb;
import io.reliabletx.testing.rocketmq.EmbeddedRocketMq;
import io.reliabletx.testing.testbed.Testbed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The data plane for scripts/bench-http.sh, whose services run as processes of their own: a throwaway MariaDB with
 * both databases and the project's schema, and the in-process name server + broker of the tests (this JVM), with
 * {@code --products N} products of {@code --stock S} units each.
 *
 * <p>Writes into {@code --dir}: {@code order.env} and {@code stock.env} (the services' environment as the operator
 * renders it, pointed at this machine, with free HTTP ports as {@code SERVER_PORT}; mode 0600, since they hold the
 * database passwords) and {@code bed.env} (nothing secret: ports and process ids). Then prints {@code READY} and runs
 * until killed or until its standard input closes.
 */
public final class HttpFrontBed {
  private HttpFrontBed() {
  }

  public static void main(String[] args) throws Exception {
    SampleServices.preferLogback();
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Path dir = Path.of(a.getOrDefault("dir", "."));
    int products = Integer.parseInt(a.getOrDefault("products", "8"));
    int stock = Integer.parseInt(a.getOrDefault("stock", "1000000000"));
    int flush = Integer.parseInt(a.getOrDefault("flush-log-at-commit", "1"));

    Testbed bed = Testbed.start(EmbeddedMariaDb.Options.defaults().withFlushLogAtCommit(flush),
        EmbeddedRocketMq.Settings.forTests());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      bed.close();
      stopped.countDown();
    }, "http-front-bed-shutdown"));
    for (long p = 1; p <= products; p++) {
      bed.putProduct(p, "product-" + p, stock);
    }
    int orderPort = FreePorts.any();
    int stockPort = FreePorts.any();
    Map<String, String> order = new LinkedHashMap<>(bed.orderServiceEnvironment());
    order.put("SERVER_PORT", Integer.toString(orderPort));
    Map<String, String> stockEnv = new LinkedHashMap<>(bed.stockServiceEnvironment());
    stockEnv.put("SERVER_PORT", Integer.toString(stockPort));
    writePrivate(dir.resolve("order.env"), order);
    writePrivate(dir.resolve("stock.env"), stockEnv);
    Map<String, String> info = new LinkedHashMap<>();
    info.put("ORDER_PORT", Integer.toString(orderPort));
    info.put("STOCK_PORT", Integer.toString(stockPort));
    info.put("MARIADB_PORT", Integer.toString(bed.db().port()));
    info.put("MARIADB_PID", Long.toString(bed.db().pid()));
    info.put("BROKER_PID", Long.toString(ProcessHandle.current().pid()));
    info.put("NAME_SERVER", bed.mq().nameServerAddress());
    info.put("PRODUCTS", Integer.toString(products));
    info.put("FLUSH_LOG_AT_COMMIT", Integer.toString(flush));
    writePrivate(dir.resolve("bed.env"), info);
    System.out.println("READY");
    System.out.flush();

    Thread stdinWatch = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // the script keeps standard input open while it needs the bed
        }
      } catch (IOException ignored) {
        // closed
      }
      System.exit(0);
    }, "http-front-bed-stdin");
    stdinWatch.setDaemon(true);
    stdinWatch.start();
    stopped.await();
  }

  /** KEY=VALUE lines, created with mode 0600 (values are single-line: URLs, names, generated passwords). */
  private static void writePrivate(Path file, Map<String, String> env) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    StringBuilder sb = new StringBuilder();
    env.forEach((k, v) -> {
      if (v.indexOf('\n') >= 0) {
        throw new IllegalArgumentException(k + " holds a line break");
      }
      sb.append(k).append('=').append(v).append('\n');
    });
    Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
  }
}
