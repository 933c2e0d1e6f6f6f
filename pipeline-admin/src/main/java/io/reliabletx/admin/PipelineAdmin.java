package io.reliabletx.admin;

import io.reliabletx.admin.consoleusers.ConsoleUsers;
import io.reliabletx.admin.privateconfig.BrokerPrivateConfig;
import io.reliabletx.admin.topics.TopicsSetup;
import io.reliabletx.operator.pipeline.children.Broker;
import io.reliabletx.operator.pipeline.children.Console;
import io.reliabletx.operator.pipeline.children.TopicsJob;
import java.io.PrintStream;
import java.util.Map;

/**
 * The program a pipeline's pods run for administration (image {@code pipeline-admin}), one sub-command per job. Every
 * value comes from env as the operator renders it ({@code TopicsJob}, {@code Broker}, {@code Console}): secrets are read by this
 * program itself, never put on a command line or into a shell, and written only through the target format's own
 * escaping.
 */
public final class PipelineAdmin {
  public static final String TOPICS = TopicsJob.COMMAND;
  public static final String BROKER_CONFIG = Broker.PRIVATE_CONFIG_COMMAND;
  public static final String CONSOLE_USERS = Console.USERS_COMMAND;

  private PipelineAdmin() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out));
  }

  /** The exit code: 0 done, 1 the job failed (the reason printed), 2 a usage error. */
  public static int run(String[] args, Map<String, String> env, PrintStream out) {
    if (args.length != 1) {
      out.println("usage: pipeline-admin " + TOPICS + "|" + BROKER_CONFIG + "|" + CONSOLE_USERS + " (settings from env)");
      return 2;
    }
    try {
      switch (args[0]) {
        case TOPICS -> TopicsSetup.fromEnv(env).run(out);
        case BROKER_CONFIG -> BrokerPrivateConfig.fromEnv(env).write(out);
        case CONSOLE_USERS -> ConsoleUsers.fromEnv(env).write(out);
        default -> {
          out.println("unknown sub-command " + args[0] + ": expected " + TOPICS + ", " + BROKER_CONFIG + " or " + CONSOLE_USERS);
          return 2;
        }
      }
      return 0;
    } catch (AdminFailure e) {
      out.println(e.getMessage());
      return 1;
    }
  }
}
