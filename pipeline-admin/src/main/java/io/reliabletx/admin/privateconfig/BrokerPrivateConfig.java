package io.reliabletx.admin.privateconfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reliabletx.admin.AdminFailure;
import io.reliabletx.admin.PrivateFiles;
import io.reliabletx.operator.pipeline.acl.RocketMqAcl;
import io.reliabletx.operator.pipeline.brokerconf.BrokerConfig;
import io.reliabletx.operator.pipeline.children.Broker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker pod's private config, written by its init container before the broker starts: its broker.conf (from
 * the ConfigMap, for the pod's ordinal) plus the super user from the credentials Secret, and mqadmin's tools.yml for
 * {@code kubectl exec}. A Secret's value is data here, whatever it holds: the JSON is written by Jackson and each
 * entry by {@link java.util.Properties#store(java.io.OutputStream, String)}, the exact inverse of the
 * {@link java.util.Properties#load(java.io.InputStream)} the broker reads broker.conf with, so a quote, a backslash or a line
 * break in a password stays inside its value and can never add a key. Files are readable by the pod's user only.
 */
public final class BrokerPrivateConfig {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path sourceDir;
  private final Path target;
  private final Path toolsYml;
  private final int ordinal;
  private final String username;
  private final String password;

  BrokerPrivateConfig(Path sourceDir, Path target, Path adminHome, int ordinal, String username, String password) {
    this.sourceDir = sourceDir;
    this.target = target;
    this.toolsYml = adminHome.resolve("conf").resolve("tools.yml");
    this.ordinal = ordinal;
    this.username = username;
    this.password = password;
  }

  public static BrokerPrivateConfig fromEnv(Map<String, String> env) {
    String pod = required(env, Broker.POD_NAME_ENV);
    int ordinal;
    try {
      ordinal = Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1));
    } catch (NumberFormatException e) {
      throw new AdminFailure(Broker.POD_NAME_ENV + " '" + pod + "' does not end in a StatefulSet ordinal");
    }
    return new BrokerPrivateConfig(Path.of(BrokerConfig.MOUNT_DIR), Path.of(Broker.PRIVATE_CONFIG_FILE),
        Path.of(required(env, RocketMqAcl.ADMIN_HOME_ENV)), ordinal, required(env, RocketMqAcl.ADMIN_USERNAME_ENV),
        required(env, RocketMqAcl.ADMIN_PASSWORD_ENV));
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isEmpty()) {
      throw new AdminFailure(name + " is not set: the broker's init container gets it from the operator");
    }
    return value;
  }

  public void write(PrintStream out) {
    Path source = sourceDir.resolve(BrokerConfig.fileName(ordinal));
    try {
      byte[] rendered = Files.readAllBytes(source);
      ByteArrayOutputStream conf = new ByteArrayOutputStream();
      conf.write(rendered);
      conf.write('\n');
      conf.write(PrivateFiles.asProperties(RocketMqAcl.superUserEntries(username, password)));
      PrivateFiles.write(target, conf.toByteArray());
      PrivateFiles.write(toolsYml, toolsYml(username, password).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AdminFailure("cannot write the broker's private config from " + source + ": " + e, e);
    }
    out.println("wrote " + target + " (" + source.getFileName() + " and the super user " + username + ") and "
        + toolsYml);
  }

  /**
   * mqadmin reads tools.yml with SnakeYAML: a JSON object is YAML too, and Jackson's string escaping is YAML's
   * double-quoted style, so any password round-trips.
   */
  static String toolsYml(String username, String password) {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("accessKey", username);
    keys.put("secretKey", password);
    try {
      return JSON.writeValueAsString(keys) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
