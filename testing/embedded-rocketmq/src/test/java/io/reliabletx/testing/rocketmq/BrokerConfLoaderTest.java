package io.reliabletx.testing.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.rocketmq.common.BrokerConfig;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyServerConfig;
import org.apache.rocketmq.store.config.FlushDiskType;
import org.apache.rocketmq.store.config.MessageStoreConfig;
import org.junit.jupiter.api.Test;

/** broker.conf keys as the broker takes them, and the two mistakes the broker itself would let pass in silence. */
class BrokerConfLoaderTest {
  final BrokerConfig broker = new BrokerConfig();
  final MessageStoreConfig store = new MessageStoreConfig();

  void load(Map<String, String> entries) {
    BrokerConfLoader.load(entries, broker, new NettyServerConfig(), new NettyClientConfig(), store);
  }

  @Test
  void setsEveryObjectThatHasTheProperty() {
    load(Map.of("transactionTimeOut", "3000", "flushDiskType", "SYNC_FLUSH", "autoCreateTopicEnable", "false",
        "sendMessageThreadPoolNums", "16"));
    assertThat(broker.getTransactionTimeOut()).isEqualTo(3000);
    assertThat(broker.isAutoCreateTopicEnable()).isFalse();
    assertThat(broker.getSendMessageThreadPoolNums()).isEqualTo(16);
    assertThat(store.getFlushDiskType()).isEqualTo(FlushDiskType.SYNC_FLUSH);
  }

  @Test
  void refusesAKeyNoConfigHas() {
    assertThatThrownBy(() -> load(Map.of("transactionTimeout", "3000")))
        .hasMessageContaining("transactionTimeout: not a property of RocketMQ's BrokerConfig");
  }

  @Test
  void refusesAValueItsSetterCannotTake() {
    assertThatThrownBy(() -> load(Map.of("fileReservedTime", "72h"))).hasMessageContaining("fileReservedTime = 72h");
    assertThatThrownBy(() -> load(Map.of("flushDiskType", "SOMETIMES"))).hasMessageContaining("flushDiskType");
    assertThatThrownBy(() -> load(Map.of("autoCreateTopicEnable", "no"))).hasMessageContaining("autoCreateTopicEnable");
  }
}
