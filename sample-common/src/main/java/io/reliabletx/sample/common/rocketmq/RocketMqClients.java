package io.reliabletx.sample.common.rocketmq;

import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.ClientConfig;
import org.apache.rocketmq.remoting.RPCHook;

/** Settings every RocketMQ client of a service shares. */
public final class RocketMqClients {
  private RocketMqClients() {
  }

  /**
   * The signature of every request when the service signs in (the broker's ACL is on), else {@code null}: pass it to
   * the client's constructor.
   */
  public static RPCHook rpcHook(RocketMqProperties properties) {
    return properties.signsIn()
        ? new AclClientRPCHook(new SessionCredentials(properties.accessKey(), properties.secretKey()))
        : null;
  }

  /**
   * Points the client at the name servers and gives it an instance name of its own, so that two services in one
   * JVM (the demo, the tests) do not share one client instance and stop each other's clients on shutdown.
   */
  public static <T extends ClientConfig> T configure(T client, RocketMqProperties properties, String instanceName) {
    client.setNamesrvAddr(properties.nameServer());
    client.setInstanceName(instanceName + "@" + ProcessHandle.current().pid());
    client.setVipChannelEnabled(false);
    return client;
  }
}
