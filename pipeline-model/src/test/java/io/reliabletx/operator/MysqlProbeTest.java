package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.reliabletx.operator.pipeline.children.Mysql;
import io.reliabletx.testing.mariadb.EmbeddedMariaDb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MySQL's exec probes never put root's password on a command line (anyone on the node reads {@code /proc/<pid>/cmdline};
 * {@code mysqladmin -p"$MYSQL_ROOT_PASSWORD"} put it there every 10 s), and still tell a server that answers from one
 * that does not: run through a real sh, first with a {@code mysqladmin} that records what it was given, then with the
 * real one against a real MariaDB whose root has a password.
 */
class MysqlProbeTest {
  private static final String PASSWORD = "root's \"pw\" \\ $(touch pwned) `touch pwned2` ${HOME}\nline 2 ü";

  static List<Probe> execProbes() {
    Container mysql = Mysql.statefulSet(Pipelines.example("minimal.yaml", "shop")).getSpec().getTemplate().getSpec()
        .getContainers().get(0);
    List<Probe> probes = Stream.of(mysql.getStartupProbe(), mysql.getReadinessProbe(), mysql.getLivenessProbe())
        .filter(p -> p.getExec() != null).toList();
    assertThat(probes).as("startup and readiness probes run mysqladmin").hasSize(2);
    return probes;
  }

  @Test
  void thePasswordReachesMysqladminThroughItsEnvironmentNeverItsArguments(@TempDir Path dir) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path fake = bin.resolve("mysqladmin");
    Files.writeString(fake, """
        #!/bin/bash
        printf '%s\\0' "$0" "$@" > "$RECORD_DIR/argv"
        printf '%s' "${MYSQL_PWD-<unset>}" > "$RECORD_DIR/mysql_pwd"
        """);
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (Probe probe : execProbes()) {
      List<String> command = probe.getExec().getCommand();
      assertThat(String.join(" ", command)).doesNotContain("-p\"").doesNotContain("--password");

      Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"), "RECORD_DIR", dir.toString(),
          "MYSQL_ROOT_PASSWORD", PASSWORD);
      assertThat(run(command, dir, env).exitCode()).isZero();

      String argv = Files.readString(dir.resolve("argv"), StandardCharsets.UTF_8);
      assertThat(argv.split("\0")).as("mysqladmin's argv").containsExactly(fake.toString(), "ping", "-h", "127.0.0.1",
          "-uroot", "--silent");
      assertThat(Files.readString(dir.resolve("mysql_pwd"), StandardCharsets.UTF_8)).isEqualTo(PASSWORD);
      assertThat(dir.resolve("pwned")).doesNotExist();
      assertThat(dir.resolve("pwned2")).doesNotExist();
    }
  }

  @Test
  void theProbeSucceedsWhileTheServerAnswersWithoutAnAccessDeniedAndFailsWhenItIsDown(@TempDir Path dir)
      throws Exception {
    try (EmbeddedMariaDb db = EmbeddedMariaDb.start()) {
      // Root over TCP gets a password, as in the pod (the test's own root connection uses the socket from now on).
      db.execute(null, List.of("ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY 'probe-test'"));
      Path log = db.dataDir().getParent().resolve("mariadb.err");
      for (Probe probe : execProbes()) {
        Map<String, String> env = Map.of("MYSQL_TCP_PORT", Integer.toString(db.port()), "MYSQL_ROOT_PASSWORD",
            "probe-test");
        Result up = run(probe.getExec().getCommand(), dir, env);
        assertThat(up.exitCode()).isZero();
        assertThat(up.output()).as("the login worked (ping is silent otherwise)").contains("mysqld is alive");
      }
      assertThat(Files.readString(log)).doesNotContain("Access denied");

      db.stop();
      for (Probe probe : execProbes()) {
        Result down = run(probe.getExec().getCommand(), dir, Map.of("MYSQL_TCP_PORT", Integer.toString(db.port()),
            "MYSQL_ROOT_PASSWORD", "probe-test"));
        assertThat(down.exitCode()).as("a stopped server fails the probe").isNotZero();
      }
    }
  }

  record Result(int exitCode, String output) {}

  private static Result run(List<String> command, Path dir, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }
}
