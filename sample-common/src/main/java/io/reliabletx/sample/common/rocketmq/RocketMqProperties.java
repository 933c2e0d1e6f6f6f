package io.reliabletx.sample.common.rocketmq;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code rocketmq.name-server} ({@code ROCKETMQ_NAME_SERVER}): {@code host:port[;host:port]} of the name servers;
 * {@code rocketmq.access-key} and {@code rocketmq.secret-key} ({@code ROCKETMQ_ACCESS_KEY}, {@code
 * ROCKETMQ_SECRET_KEY}): the RocketMQ user the service signs in as when the broker's ACL is on (both or neither).
 */
@Validated
@ConfigurationProperties("rocketmq")
public record RocketMqProperties(@NotBlank String nameServer, String accessKey, String secretKey) {
  public RocketMqProperties {
    nameServer = nameServer == null ? "localhost:9876" : nameServer;
    accessKey = accessKey == null || accessKey.isBlank() ? null : accessKey;
    secretKey = secretKey == null || secretKey.isBlank() ? null : secretKey;
  }

  /** Checked at startup (a service given only one of the two does not start, naming both). */
  @AssertTrue(message = "rocketmq.access-key and rocketmq.secret-key (ROCKETMQ_ACCESS_KEY, ROCKETMQ_SECRET_KEY) go"
      + " together: set both to sign in to a broker with ACL on, or neither")
  public boolean isSignInComplete() {
    return (accessKey == null) == (secretKey == null);
  }

  /** Whether the service signs its requests (the broker's ACL is on). */
  public boolean signsIn() {
    return accessKey != null;
  }

  /** Never the secret key. */
  @Override
  public String toString() {
    return "RocketMqProperties[nameServer=" + nameServer + ", accessKey=" + accessKey + "]";
  }
}
