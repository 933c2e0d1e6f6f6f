package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.brokerconf.BrokerConfig;
import io.reliabletx.operator.pipeline.children.Broker;
import io.reliabletx.operator.pipeline.spec.BrokerRole;
import org.junit.jupiter.api.Test;

/** broker.conf beyond the examples' golden files (golden/<example>/broker-config.yaml). */
class BrokerConfigTest {
  @Test
  void neverEnablesTopicAutoCreationAndKeepsOwnedKeys() {
    ReliableTxPipeline p = Pipelines.defaults("x", "ns");
    p.getSpec().getBroker().getExtraConfig().put("autoCreateTopicEnable", "true");
    p.getSpec().getBroker().getExtraConfig().put("brokerName", "evil");
    p.getSpec().getBroker().getExtraConfig().put("maxMessageSize", "65536");
    BrokerConfig c = BrokerConfig.of(p.getSpec(), new PipelineNames(p));
    assertThat(c.entries()).containsEntry("autoCreateTopicEnable", "false").containsEntry("brokerName", "broker-a")
        .containsEntry("maxMessageSize", "65536");
  }

  /** The API server refuses these; an object that bypassed validation still cannot reach an owned key. */
  @Test
  void anExtraEntryCannotWriteAnotherLine() {
    ReliableTxPipeline p = Pipelines.defaults("x", "ns");
    p.getSpec().getBroker().getExtraConfig().put("sendMessageThreadPoolNums", "8\nautoCreateTopicEnable = true");
    p.getSpec().getBroker().getExtraConfig().put("pullMessageThreadPoolNums", "8\rbrokerName = evil");
    p.getSpec().getBroker().getExtraConfig().put("adminBrokerThreadPoolNums", "8\\");
    p.getSpec().getBroker().getExtraConfig().put("brokerName = evil\nx", "1");
    String conf = BrokerConfig.of(p.getSpec(), new PipelineNames(p)).render();
    assertThat(conf).contains("autoCreateTopicEnable = false").doesNotContain("autoCreateTopicEnable = true")
        .doesNotContain("evil").doesNotContain("ThreadPoolNums");
  }

  @Test
  void aConfigChangeChangesThePodTemplateHash() {
    ReliableTxPipeline p = Pipelines.defaults("x", "ns");
    String before = Broker.statefulSet(p).getSpec().getTemplate().getMetadata().getAnnotations()
        .get(PipelineNames.CONFIG_HASH_ANNOTATION);
    p.getSpec().getBroker().setFileReservedTime(72);
    String after = Broker.statefulSet(p).getSpec().getTemplate().getMetadata().getAnnotations()
        .get(PipelineNames.CONFIG_HASH_ANNOTATION);
    assertThat(before).hasSize(32).isNotEqualTo(after);
  }

  /** Roles are derived from the pod's ordinal: pod 0 the master with the spec's role, every other pod a slave. */
  @Test
  void aGroupHasOneMasterAndItsSlavesEachAnnouncingItsOwnAddress() {
    ReliableTxPipeline p = Pipelines.defaults("x", "ns");
    p.getSpec().getBroker().setReplicas(3);
    p.getSpec().getBroker().setBrokerRole(BrokerRole.SYNC_MASTER);
    PipelineNames names = new PipelineNames(p);
    assertThat(BrokerConfig.of(p.getSpec(), names, 0).entries()).containsEntry("brokerId", "0")
        .containsEntry("brokerRole", "SYNC_MASTER").containsEntry("inSyncReplicas", "2")
        .containsEntry("brokerIP1", "x-broker-0.x-broker.ns.svc").containsEntry("brokerIP2", "x-broker-0.x-broker.ns.svc")
        .containsEntry("haListenPort", "10912");
    for (int slave = 1; slave < 3; slave++) {
      assertThat(BrokerConfig.of(p.getSpec(), names, slave).entries()).containsEntry("brokerId", "" + slave)
          .containsEntry("brokerRole", "SLAVE").doesNotContainKey("inSyncReplicas")
          .containsEntry("brokerIP1", "x-broker-" + slave + ".x-broker.ns.svc")
          .containsEntry("brokerName", "broker-a");
    }
    assertThat(Broker.config(p).getData()).containsOnlyKeys("broker.conf", "broker-1.conf", "broker-2.conf");
    assertThat(Broker.statefulSet(p).getSpec().getReplicas()).isEqualTo(3);
  }

  /** An ASYNC_MASTER acknowledges at once; a lone SYNC_MASTER has no slave to wait for. */
  @Test
  void onlyASyncMasterWithSlavesWaitsForOne() {
    ReliableTxPipeline p = Pipelines.defaults("x", "ns");
    p.getSpec().getBroker().setReplicas(2);
    assertThat(BrokerConfig.of(p.getSpec(), new PipelineNames(p)).entries()).containsEntry("brokerRole", "ASYNC_MASTER")
        .doesNotContainKey("inSyncReplicas");
    p.getSpec().getBroker().setReplicas(1);
    p.getSpec().getBroker().setBrokerRole(BrokerRole.SYNC_MASTER);
    assertThat(BrokerConfig.of(p.getSpec(), new PipelineNames(p)).entries()).doesNotContainKey("inSyncReplicas")
        .doesNotContainKey("brokerIP2");
  }

  /** The API server refuses SLAVE and the HA keys; an object that bypassed it still gets a master and static roles. */
  @Test
  void aTypedSlaveOrControllerModeNeverReachesTheBroker() {
    ReliableTxPipeline p = Pipelines.defaults("x", "ns");
    p.getSpec().getBroker().setBrokerRole(BrokerRole.SLAVE);
    p.getSpec().getBroker().getExtraConfig().put("enableControllerMode", "true");
    p.getSpec().getBroker().getExtraConfig().put("inSyncReplicas", "1");
    assertThat(BrokerConfig.of(p.getSpec(), new PipelineNames(p)).entries()).containsEntry("brokerId", "0")
        .containsEntry("brokerRole", "ASYNC_MASTER").doesNotContainKeys("enableControllerMode", "inSyncReplicas");
  }

  /** The broker finds the name servers through their headless Service: their number is not in its pods. */
  @Test
  void moreNameServersChangeNeitherBrokerConfNorItsPods() {
    ReliableTxPipeline p = Pipelines.defaults("x", "ns");
    p.getSpec().getBroker().setReplicas(2);
    var before = Broker.statefulSet(p);
    var conf = Broker.config(p).getData();
    p.getSpec().getNameServer().setReplicas(3);
    assertThat(Broker.statefulSet(p)).isEqualTo(before);
    assertThat(Broker.config(p).getData()).isEqualTo(conf);
    assertThat(conf.get("broker.conf")).contains("namesrvAddr = x-namesrv.ns.svc:9876")
        .contains("fetchNameSrvAddrByDnsLookup = true");
  }
}
