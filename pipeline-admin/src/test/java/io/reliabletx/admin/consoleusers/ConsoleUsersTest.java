package io.reliabletx.admin.consoleusers;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliabletx.admin.HostileSecrets;
import io.reliabletx.admin.PipelineAdmin;
import io.reliabletx.operator.pipeline.children.Console;
import java.io.ByteArrayOutputStream;
import java.io.FileReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's users.properties as its init container writes it, read back the way the RocketMQ dashboard reads it
 * (UserServiceImpl.FileBasedUserInfoStore: {@link Properties#load(java.io.Reader)} through a FileReader, each value
 * split at its first comma into the password, trimmed, and the role): exactly one user, admin, with exactly the
 * Secret's password, whatever it holds; a password the dashboard cannot hold is refused by the Secret key's name.
 */
class ConsoleUsersTest {
  @TempDir Path dir;

  /** The dashboard's view of the file: user → (password, role). */
  static Map<String, String> asTheDashboardReadsIt(Path file) throws Exception {
    Properties prop = new Properties();
    try (FileReader reader = new FileReader(file.toFile())) {
      prop.load(reader);
    }
    Map<String, String> users = new TreeMap<>();
    for (String key : prop.stringPropertyNames()) {
      String[] parts = prop.getProperty(key).split(",", 2);
      users.put(key, parts[0].trim() + " role " + (parts.length == 1 ? 0 : Integer.parseInt(parts[1].trim())));
    }
    return users;
  }

  String write(Path file, String password) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new ConsoleUsers(file, password).write(new PrintStream(out, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyHostileValueTheDashboardCanHoldIsExactlyTheAdminsPassword() throws Exception {
    int tried = 0;
    for (var hostile : HostileSecrets.values().entrySet()) {
      String password = hostile.getValue();
      if (password.contains(",") || !password.strip().equals(password)) {
        continue;
      }
      Path file = dir.resolve(hostile.getKey().replace(' ', '-')).resolve("users.properties");
      String out = write(file, password);
      assertThat(asTheDashboardReadsIt(file)).as(hostile.getKey()).containsExactly(Map.entry("admin", password + " role 1"));
      assertThat(out).doesNotContain(password);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      tried++;
    }
    // The line break that would add a user, the quotes, backslashes, shell, unicode and 1 KiB values.
    assertThat(tried).isEqualTo(6);
    // A line break that names a second user stays inside admin's password.
    Path file = dir.resolve("two-users/users.properties");
    write(file, "pw\nroot=owned");
    assertThat(asTheDashboardReadsIt(file)).containsOnlyKeys("admin");
    assertThat(Path.of("/tmp/pwned-by-secret")).doesNotExist();
  }

  @Test
  void aPasswordTheDashboardWouldCutIsRefusedByTheKeysName() {
    for (String password : new String[] {"a,b", " lead", "trail\t"}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int exit = PipelineAdmin.run(new String[] {PipelineAdmin.CONSOLE_USERS}, Map.of(Console.PASSWORD_ENV, password),
          new PrintStream(out, true, StandardCharsets.UTF_8));
      assertThat(exit).as(password).isEqualTo(1);
      assertThat(out.toString(StandardCharsets.UTF_8)).as(password)
          .contains("key console-password holds a password the RocketMQ dashboard cannot use").doesNotContain(password);
    }
  }
}
