package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.mysql.Credentials;
import io.reliabletx.operator.pipeline.mysql.MysqlInit;
import io.reliabletx.testing.mariadb.EmbeddedMariaDb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The MySQL init ConfigMap's files, run the way the image's entrypoint runs them (the schema file fed to
 * {@code docker_process_sql}, the users script sourced by bash under {@code set -euo pipefail} with
 * {@code docker_process_sql} defined) against a real MariaDB server, with the service passwords a user's existing
 * Secret may hold: quotes, newlines, backslashes, shell substitutions, unicode, 1 KiB. Each must become exactly the
 * password of its user (a login with it works, one with anything else does not) and nothing else may happen: no
 * command run, no other user, no other grant, root untouched.
 *
 * <p>The values travel as environment variables of the process, as the StatefulSet's secretKeyRefs put them; no
 * command line is ever built from a value.
 */
class MysqlInitAgainstMariaDbTest {
  /** Stands in for the entrypoint: root over TCP to the test's server (the image uses the socket, with root's password
   *  in an option file). Runs the init directory's files in name order, as the entrypoint does. */
  private static final String ENTRYPOINT = """
      set -euo pipefail
      docker_process_sql() {
        mariadb --no-defaults --protocol=tcp --host=127.0.0.1 --port="$TEST_MARIADB_PORT" --user=root "$@"
      }
      for f in "$1"/*; do
        case $f in
          *.sql) docker_process_sql <"$f" ;;
          *.sh) . "$f" ;;
        esac
      done
      """;

  private static EmbeddedMariaDb db;
  private static Set<String> usersBefore;
  private static List<String> grantsOfRootBefore;

  @TempDir
  Path work;

  @BeforeAll
  static void startMariaDb() throws SQLException {
    db = EmbeddedMariaDb.start();
    usersBefore = users();
    grantsOfRootBefore = grants("root", "localhost");
  }

  @AfterAll
  static void stopMariaDb() {
    if (db != null) {
      db.close();
    }
  }

  @AfterEach
  void dropTheServiceUsers() {
    db.execute(null, List.of("DROP USER IF EXISTS 'orders'@'%'", "DROP USER IF EXISTS 'stock'@'%'"));
  }

  static Stream<Arguments> hostilePasswords() {
    String kib = "'\"\\\n$(x)`x` ;-- ü€😀 %_ ${HOME} ".repeat(40);
    return Stream.of(
        Arguments.of("single quote", "it's' OR '1'='1"),
        Arguments.of("SQL that closes the literal", "x'; DROP USER 'root'@'localhost'; CREATE USER 'evil'@'%"),
        Arguments.of("double quote", "say \"hello\""),
        Arguments.of("newline", "first line\nsecond line\nEOSQL\nFLUSH PRIVILEGES;"),
        Arguments.of("backslash", "back\\slash\\' \\n \\\\"),
        Arguments.of("command substitution", "$(touch {dir}/pwned-dollar)"),
        Arguments.of("backtick", "`touch {dir}/pwned-backtick`"),
        Arguments.of("parameter expansion", "${MYSQL_ROOT_PASSWORD:-x}$HOME$1$$"),
        Arguments.of("unicode", "pässwörd-密码-🔐-\u00a0-\u202e"),
        Arguments.of("leading dash and spaces", " -p --skip-grant-tables "),
        Arguments.of("1 KiB", kib.substring(0, 1024)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostilePasswords")
  void aHostilePasswordBecomesExactlyThatUsersPassword(String name, String template) throws Exception {
    String orders = template.replace("{dir}", work.toString());
    String stock = "stock:" + orders + ":" + name; // both users, each with its own hostile value

    Result result = runInit(Map.of(MysqlInit.ORDERS_PASSWORD_ENV, orders, MysqlInit.STOCK_PASSWORD_ENV, stock));

    assertThat(result.exitCode()).as("init output:\n%s", result.output()).isZero();
    assertThat(result.output()).as("no value is printed").doesNotContain(orders).doesNotContain(stock);
    assertLogsInWithExactly(Credentials.ORDERS_USER, orders, PipelineNames.ORDERS_DATABASE);
    assertLogsInWithExactly(Credentials.STOCK_USER, stock, PipelineNames.STOCK_DATABASE);
    assertNothingElseHappened();
  }

  /**
   * A user's own Secret may name other users than the generated orders and stock: the services sign in with its
   * usernames, so the init creates exactly those (it created orders and stock whatever the Secret said).
   */
  @Test
  void theSecretsUserNamesAreTheUsersCreated() throws Exception {
    String ordersUser = "shop-orders'x";
    String stockUser = "shop_stock\"1";
    try {
      Result result = runInit(Map.of(MysqlInit.ORDERS_USERNAME_ENV, ordersUser, MysqlInit.ORDERS_PASSWORD_ENV, "o-pw'",
          MysqlInit.STOCK_USERNAME_ENV, stockUser, MysqlInit.STOCK_PASSWORD_ENV, "s-pw\n"));
      assertThat(result.exitCode()).as("init output:\n%s", result.output()).isZero();
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(PipelineNames.ORDERS_DATABASE), ordersUser, "o-pw'");
          Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_USER()")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(ordersUser + "@%");
      }
      DriverManager.getConnection(db.jdbcUrl(PipelineNames.STOCK_DATABASE), stockUser, "s-pw\n").close();
      assertThat(users()).contains(ordersUser + "@%", stockUser + "@%").doesNotContain("orders@%", "stock@%");
    } finally {
      db.execute(null, List.of("DROP USER IF EXISTS 'shop-orders''x'@'%'", "DROP USER IF EXISTS 'shop_stock\"1'@'%'"));
    }
  }

  /** QUOTE() escapes with backslashes: a server running with NO_BACKSLASH_ESCAPES must not read them differently. */
  @Test
  void theLiteralIsReadBackUnderNoBackslashEscapesToo() throws Exception {
    String password = "a\\'b\\\\'c\\0\\n'; DROP USER 'root'@'localhost'; -- ";
    db.execute(null, List.of("SET GLOBAL sql_mode = CONCAT(@@GLOBAL.sql_mode, ',NO_BACKSLASH_ESCAPES')"));
    try {
      Result result = runInit(Map.of(MysqlInit.ORDERS_PASSWORD_ENV, password, MysqlInit.STOCK_PASSWORD_ENV, password));
      assertThat(result.exitCode()).as("init output:\n%s", result.output()).isZero();
    } finally {
      db.execute(null, List.of("SET GLOBAL sql_mode = REPLACE(@@GLOBAL.sql_mode, ',NO_BACKSLASH_ESCAPES', '')"));
    }
    assertLogsInWithExactly(Credentials.ORDERS_USER, password, PipelineNames.ORDERS_DATABASE);
    assertLogsInWithExactly(Credentials.STOCK_USER, password, PipelineNames.STOCK_DATABASE);
    assertNothingElseHappened();
  }

  /** The script is shell the linter sees, like the repository's script files. */
  @Test
  void theUsersScriptPassesShellcheck() throws Exception {
    Assumptions.assumeTrue(Stream.of(System.getenv("PATH").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, "shellcheck"))), "shellcheck is not installed");
    Path script = Files.writeString(work.resolve(MysqlInit.USERS_FILE), MysqlInit.usersScript());
    Process p = new ProcessBuilder("shellcheck", "--shell=bash", script.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    Files.delete(script);
  }

  /** The script must fail loudly rather than create a user with an empty password. */
  @Test
  void anEmptyOrMissingPasswordFailsTheInitAndCreatesNoUser() throws Exception {
    Result empty = runInit(Map.of(MysqlInit.ORDERS_PASSWORD_ENV, "", MysqlInit.STOCK_PASSWORD_ENV, "fine"));
    assertThat(empty.exitCode()).isNotZero();
    assertThat(empty.output()).contains(MysqlInit.ORDERS_PASSWORD_ENV);

    Result missing = runInit(Map.of(MysqlInit.ORDERS_PASSWORD_ENV, "fine"));
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.output()).contains(MysqlInit.STOCK_PASSWORD_ENV);

    assertThat(users()).isEqualTo(usersBefore);
  }

  private void assertLogsInWithExactly(String user, String password, String database) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(database), user, password);
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_USER()")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(user + "@%");
    }
    for (String other : List.of(password + "x", password.substring(0, password.length() - 1),
        password.lines().findFirst().orElse(""), "")) {
      if (!other.equals(password)) {
        assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(database), user, other).close())
            .as("%s with a password other than its own", user).isInstanceOf(SQLException.class)
            .hasMessageContaining("Access denied");
      }
    }
    assertThat(grants(user, "%")).as("grants of %s", user)
        .containsExactlyInAnyOrder("GRANT USAGE ON *.* TO `" + user + "`@`%` IDENTIFIED BY PASSWORD '<hash>'",
            "GRANT ALL PRIVILEGES ON `" + database + "`.* TO `" + user + "`@`%`");
  }

  private void assertNothingElseHappened() throws Exception {
    Set<String> expected = new TreeSet<>(usersBefore);
    expected.addAll(List.of(Credentials.ORDERS_USER + "@%", Credentials.STOCK_USER + "@%"));
    assertThat(users()).as("users after the init").isEqualTo(expected);
    assertThat(grants("root", "localhost")).as("root's grants").isEqualTo(grantsOfRootBefore);
    try (Connection ignored = db.rootConnection(null)) {
      // root still signs in as before (no password, loopback)
    }
    try (Stream<Path> files = Files.list(work)) {
      assertThat(files.map(p -> p.getFileName().toString())).as("files the init left").containsExactly("init");
    }
    try (Stream<Path> files = Files.list(work.resolve("init"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(MysqlInit.SCHEMA_FILE, MysqlInit.USERS_FILE);
    }
  }

  /** Writes the ConfigMap's files into {@code work/init} and runs them with {@code env} added to the environment. */
  private Result runInit(Map<String, String> env) throws Exception {
    Path init = Files.createDirectories(work.resolve("init"));
    for (Map.Entry<String, String> file : MysqlInit.files().entrySet()) {
      Files.writeString(init.resolve(file.getKey()), file.getValue());
    }
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", ENTRYPOINT, "entrypoint", init.toString())
        .directory(work.toFile()).redirectErrorStream(true);
    pb.environment().remove(MysqlInit.ORDERS_PASSWORD_ENV);
    pb.environment().remove(MysqlInit.STOCK_PASSWORD_ENV);
    // The generated Secret's user names unless the case gives its own.
    pb.environment().put(MysqlInit.ORDERS_USERNAME_ENV, Credentials.ORDERS_USER);
    pb.environment().put(MysqlInit.STOCK_USERNAME_ENV, Credentials.STOCK_USER);
    pb.environment().putAll(env);
    pb.environment().put("TEST_MARIADB_PORT", Integer.toString(db.port()));
    pb.environment().put("MYSQL_ROOT_PASSWORD", "root-password-not-used-here");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  record Result(int exitCode, String output) {}

  private static Set<String> users() throws SQLException {
    Set<String> users = new TreeSet<>();
    try (Connection c = db.rootConnection("mysql"); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT User, Host FROM mysql.global_priv")) {
      while (rs.next()) {
        users.add(rs.getString(1) + "@" + rs.getString(2));
      }
    }
    return users;
  }

  /** SHOW GRANTS, with the password hash replaced (it differs by value, not by what it grants). */
  private static List<String> grants(String user, String host) throws SQLException {
    List<String> grants = new ArrayList<>();
    try (Connection c = db.rootConnection(null); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW GRANTS FOR '" + user + "'@'" + host + "'")) {
      while (rs.next()) {
        grants.add(rs.getString(1).replaceAll("IDENTIFIED BY PASSWORD '[^']*'", "IDENTIFIED BY PASSWORD '<hash>'"));
      }
    }
    return grants;
  }
}
