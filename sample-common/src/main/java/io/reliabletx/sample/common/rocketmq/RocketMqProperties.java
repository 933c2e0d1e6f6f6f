package io.reliabletx.sample.common.rocketmq;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** {@code rocketmq.name-server} ({@code ROCKETMQ_NAME_SERVER}): {@code host:port[;host:port]} of the name servers. */
@Validated
@ConfigurationProperties("rocketmq")
public record RocketMqProperties(@NotBlank String nameServer) {
  public RocketMqProperties {
    nameServer = nameServer == null ? "localhost:9876" : nameServer;
  }
}
