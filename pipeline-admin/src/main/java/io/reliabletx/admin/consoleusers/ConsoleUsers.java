package io.reliabletx.admin.consoleusers;

import io.reliabletx.admin.AdminFailure;
import io.reliabletx.admin.PrivateFiles;
import io.reliabletx.operator.pipeline.children.Console;
import io.reliabletx.operator.pipeline.mysql.Credentials;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The console pod's users.properties, written by its init container: the dashboard's one user, {@code admin}, with
 * the credentials Secret's console password. The dashboard loads the file with {@link java.util.Properties#load} and
 * splits each value at its first comma into the password (trimmed) and the role, so the entry is written by
 * {@link PrivateFiles#asProperties} (a line break cannot add a user) and a password the dashboard cannot hold as
 * written (a comma, blanks at either end) is refused with the Secret key's name, never its value.
 */
public final class ConsoleUsers {
  /** The dashboard's role number for an administrator. */
  static final int ADMIN_ROLE = 1;

  private final Path file;
  private final String password;

  ConsoleUsers(Path file, String password) {
    this.file = file;
    this.password = password;
  }

  public static ConsoleUsers fromEnv(Map<String, String> env) {
    String password = env.get(Console.PASSWORD_ENV);
    if (password == null || password.isEmpty()) {
      throw new AdminFailure(Console.PASSWORD_ENV + " is not set: the console's init container gets it from the operator");
    }
    return new ConsoleUsers(Path.of(Console.USERS_FILE), password);
  }

  public void write(PrintStream out) {
    if (password.contains(",") || !password.strip().equals(password)) {
      throw new AdminFailure("the credentials Secret's key " + Credentials.CONSOLE_PASSWORD + " holds a password the"
          + " RocketMQ dashboard cannot use: it must not contain a comma or begin or end with a blank");
    }
    try {
      PrivateFiles.write(file, PrivateFiles.asProperties(Map.of(Console.ADMIN_USER, password + "," + ADMIN_ROLE)));
    } catch (IOException e) {
      throw new AdminFailure("cannot write " + file + ": " + e, e);
    }
    out.println("wrote " + file + " (user " + Console.ADMIN_USER + ")");
  }
}
