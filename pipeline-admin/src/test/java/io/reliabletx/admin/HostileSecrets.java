package io.reliabletx.admin;

import io.reliabletx.operator.pipeline.mysql.Credentials;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Secret values a user's own Secret (Vault-synced, hand-made) may hold and that would be syntax if pasted into a
 * properties file, JSON, YAML or a shell: each must reach its consumer as exactly these characters.
 */
public final class HostileSecrets {
  private HostileSecrets() {}

  /** Name → value, one kind of trouble each. */
  public static Map<String, String> values() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("quotes", "it's \"quoted\"");
    v.put("line break adding a key", "pw\nauthenticationEnabled = false\ninitAuthenticationUser = {}");
    v.put("backslashes", "back\\slash\\u0041\\");
    v.put("shell", "$(touch /tmp/pwned-by-secret)`id`;exit 1");
    v.put("unicode", "pässwörd ☃ 日本語");
    v.put("properties syntax", "  =: #!lead and trail  ");
    v.put("1 KiB", "k".repeat(512) + "\u00e9".repeat(512));
    return v;
  }

  /**
   * The generated credentials with every RocketMQ password hostile: the super user's and each service's, one kind of
   * trouble apart (the line break for the super user: the attack that turned the ACL off).
   */
  public static Map<String, String> rocketMqSecret() {
    Map<String, String> secret = new HashMap<>(Credentials.generate());
    secret.put(Credentials.ROCKETMQ_ADMIN_PASSWORD, values().get("line break adding a key") + values().get("quotes"));
    secret.put(Credentials.ROCKETMQ_ORDERS_PASSWORD, values().get("shell") + values().get("unicode"));
    secret.put(Credentials.ROCKETMQ_STOCK_PASSWORD, values().get("backslashes") + values().get("1 KiB"));
    return secret;
  }
}
