package io.reliabletx.testing.mariadb;

import io.reliabletx.testing.machine.FreePorts;
import io.reliabletx.testing.machine.Pause;
import io.reliabletx.testing.machine.ScratchDirectories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A throwaway, real MariaDB server: its own data directory, socket and loopback port, created by
 * {@code mariadb-install-db} and run as a child process. Installs Debian's {@code mariadb-server} when
 * the binaries are absent and the process may use apt-get (root).
 *
 * <p>Typical use: {@code try (var db = EmbeddedMariaDb.start()) { db.createDatabase("x", "user", "pw"); ... }}.
 */
public final class EmbeddedMariaDb implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(EmbeddedMariaDb.class.getName());

  /** How the server trades durability for speed; see {@link Options#flushLogAtCommit}. */
  public record Options(int port, Path baseDir, int flushLogAtCommit, int maxConnections) {
    public static Options defaults() {
      return new Options(0, null, 1, 500);
    }

    /** {@code innodb_flush_log_at_trx_commit}: 1 = durable at every commit (MariaDB's default), 2 = once a second. */
    public Options withFlushLogAtCommit(int value) {
      return new Options(port, baseDir, value, maxConnections);
    }

    public Options withPort(int value) {
      return new Options(value, baseDir, flushLogAtCommit, maxConnections);
    }

    /** Keep the data directory at this place (it survives {@link #close()} and restarts reuse it). */
    public Options withBaseDir(Path value) {
      return new Options(port, value, flushLogAtCommit, maxConnections);
    }
  }

  private final Path baseDir;
  private final boolean deleteOnClose;
  private final int port;
  private final Options options;
  private final MariaDbBinaries binaries;
  private Process process;
  private final Thread shutdownHook = new Thread(this::stopQuietly, "embedded-mariadb-shutdown");

  private EmbeddedMariaDb(Path baseDir, boolean deleteOnClose, int port, Options options, MariaDbBinaries binaries) {
    this.baseDir = baseDir;
    this.deleteOnClose = deleteOnClose;
    this.port = port;
    this.options = options;
    this.binaries = binaries;
  }

  public static EmbeddedMariaDb start() {
    return start(Options.defaults());
  }

  public static EmbeddedMariaDb start(Options options) {
    MariaDbBinaries binaries = MariaDbBinaries.locateOrInstall();
    try {
      boolean temporary = options.baseDir() == null;
      Path baseDir = temporary ? Files.createTempDirectory("embedded-mariadb-") : options.baseDir();
      int port = options.port() > 0 ? options.port() : FreePorts.stable(); // kept across restarts
      EmbeddedMariaDb db = new EmbeddedMariaDb(baseDir, temporary, port, options, binaries);
      db.installDataDirIfAbsent();
      db.launch();
      return db;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return baseDir.resolve("data");
  }

  /** The server's process id, for fault tests that kill it. */
  public long pid() {
    return process.pid();
  }

  /** JDBC URL of one database, as the services would be given it. */
  public String jdbcUrl(String database) {
    return "jdbc:mysql://127.0.0.1:" + port + "/" + database
        + "?useSSL=false&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true";
  }

  /** A connection as root (no password, loopback only): for set-up and for checkers, never for the services. */
  public Connection rootConnection(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database == null ? "" : database), "root", "");
  }

  /** Creates the database (utf8mb4) and a user that may use only it. Re-runnable. */
  public void createDatabase(String database, String user, String password) {
    String quotedDb = "`" + database.replace("`", "``") + "`";
    execute(null, List.of(
        "CREATE DATABASE IF NOT EXISTS " + quotedDb + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
        "CREATE USER IF NOT EXISTS '" + sqlString(user) + "'@'127.0.0.1' IDENTIFIED BY '" + sqlString(password) + "'",
        "CREATE USER IF NOT EXISTS '" + sqlString(user) + "'@'localhost' IDENTIFIED BY '" + sqlString(password) + "'",
        "GRANT ALL PRIVILEGES ON " + quotedDb + ".* TO '" + sqlString(user) + "'@'127.0.0.1'",
        "GRANT ALL PRIVILEGES ON " + quotedDb + ".* TO '" + sqlString(user) + "'@'localhost'"));
  }

  /** Runs a SQL script (statements separated by ';' at line ends, '--' comments) as root in one database. */
  public void runScript(String database, String script) {
    execute(database, SqlScript.statements(script));
  }

  public void execute(String database, List<String> statements) {
    try (Connection c = rootConnection(database); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("SQL failed on embedded MariaDB: " + e.getMessage(), e);
    }
  }

  /** Kills the server with SIGKILL (no clean shutdown), as a crash would. {@link #restart()} brings it back. */
  public void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      waitFor(process, Duration.ofSeconds(30));
    }
  }

  /** Starts the server again on the same port and data directory (after {@link #kill()} or {@link #stop()}). */
  public void restart() {
    if (process != null && process.isAlive()) {
      stop();
    }
    launch();
  }

  /** Clean shutdown; the data directory stays. */
  public void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    try {
      Process admin = new ProcessBuilder(binaries.admin().toString(), "--no-defaults", "--user=root",
          "--socket=" + socket(), "shutdown")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      waitFor(admin, Duration.ofSeconds(30));
    } catch (IOException e) {
      LOG.warning("mariadb-admin shutdown failed, killing the server: " + e.getMessage());
    }
    if (!waitFor(process, Duration.ofSeconds(30))) {
      process.destroyForcibly();
      waitFor(process, Duration.ofSeconds(10));
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or ran: nothing to remove
    }
    if (deleteOnClose) {
      ScratchDirectories.delete(baseDir);
    }
  }

  private void stopQuietly() {
    try {
      stop();
    } catch (RuntimeException e) {
      if (process != null) {
        process.destroyForcibly();
      }
    }
  }

  private Path socket() {
    return baseDir.resolve("mariadb.sock");
  }

  private void installDataDirIfAbsent() throws IOException {
    if (Files.isDirectory(dataDir().resolve("mysql"))) {
      return;
    }
    Files.createDirectories(dataDir());
    Process install = new ProcessBuilder(binaries.installDb().toString(), "--no-defaults", "--user=root",
        "--datadir=" + dataDir(), "--auth-root-authentication-method=normal", "--skip-test-db")
        .redirectErrorStream(true).redirectOutput(baseDir.resolve("install-db.log").toFile()).start();
    if (!waitFor(install, Duration.ofSeconds(120)) || install.exitValue() != 0) {
      throw new IllegalStateException("mariadb-install-db failed; see " + baseDir.resolve("install-db.log") + ":\n"
          + Files.readString(baseDir.resolve("install-db.log")));
    }
  }

  private void launch() {
    List<String> cmd = new ArrayList<>(List.of(binaries.server().toString(), "--no-defaults", "--user=root",
        "--datadir=" + dataDir(), "--socket=" + socket(), "--port=" + port, "--bind-address=127.0.0.1",
        "--skip-name-resolve", "--pid-file=" + baseDir.resolve("mariadb.pid"),
        "--log-error=" + baseDir.resolve("mariadb.err"),
        "--innodb-flush-log-at-trx-commit=" + options.flushLogAtCommit(),
        "--max-connections=" + options.maxConnections(),
        "--innodb-buffer-pool-size=128M", "--innodb-log-file-size=64M",
        "--character-set-server=utf8mb4", "--collation-server=utf8mb4_bin"));
    try {
      process = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(baseDir.resolve("mariadb.out").toFile())).start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + binaries.server(), e);
    }
    try {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } catch (IllegalArgumentException alreadyAdded) {
      // restart(): the hook from the first start still covers this process
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("MariaDB exited at start (code " + process.exitValue() + "): " + errorLogTail());
      }
      try (Connection ignored = rootConnection(null)) {
        LOG.fine(() -> "MariaDB ready on 127.0.0.1:" + port);
        return;
      } catch (SQLException e) {
        last = e;
        Pause.millisOrFail(100);
      }
    }
    throw new IllegalStateException("MariaDB did not answer within 60 s: " + (last == null ? "" : last.getMessage())
        + "\n" + errorLogTail());
  }

  private String errorLogTail() {
    try {
      List<String> lines = Files.readAllLines(baseDir.resolve("mariadb.err"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no error log)";
    }
  }

  private static String sqlString(String s) {
    return s.replace("\\", "\\\\").replace("'", "''");
  }

  private static boolean waitFor(Process p, Duration d) {
    try {
      return p.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Where the MariaDB programs are; installs Debian's package when they are missing. */
  record MariaDbBinaries(Path server, Path installDb, Path admin) {
    private static final List<Path> DIRS = List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"),
        Path.of("/usr/local/bin"), Path.of("/usr/local/sbin"));

    static synchronized MariaDbBinaries locateOrInstall() {
      return locate().orElseGet(() -> {
        install();
        return locate().orElseThrow(() -> new IllegalStateException(
            "mariadb-server was installed but mariadbd/mariadb-install-db were not found in " + DIRS));
      });
    }

    static Optional<MariaDbBinaries> locate() {
      Optional<Path> server = find("mariadbd").or(() -> find("mysqld"));
      Optional<Path> installDb = find("mariadb-install-db").or(() -> find("mysql_install_db"));
      Optional<Path> admin = find("mariadb-admin").or(() -> find("mysqladmin"));
      if (server.isPresent() && installDb.isPresent() && admin.isPresent()) {
        return Optional.of(new MariaDbBinaries(server.get(), installDb.get(), admin.get()));
      }
      return Optional.empty();
    }

    private static Optional<Path> find(String name) {
      return DIRS.stream().map(d -> d.resolve(name)).filter(Files::isExecutable).findFirst();
    }

    private static void install() {
      LOG.info("MariaDB binaries not found: installing Debian's mariadb-server (apt-get)");
      run(List.of("apt-get", "update", "-qq"));
      run(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", "mariadb-server"));
    }

    private static void run(List<String> cmd) {
      try {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
          throw new IllegalStateException("'" + String.join(" ", cmd) + "' failed (install mariadb-server by hand,"
              + " e.g. sudo apt-get install mariadb-server):\n" + out);
        }
      } catch (IOException e) {
        throw new IllegalStateException("could not run " + cmd + ": install mariadb-server by hand", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
