package io.reliabletx.operator.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.topic.TopicValidator;
import org.junit.jupiter.api.Test;

/**
 * The topic and group names the CRD refuses, checked against the RocketMQ jars the product is built with: every
 * system topic and system group they define is refused, so a RocketMQ upgrade that adds one fails here until the
 * list in {@link ServiceNames} names it too.
 */
class ReservedNamesTest {
  static Set<String> constants(Class<?> type, String namePart) throws IllegalAccessException {
    Set<String> values = new TreeSet<>();
    for (Field f : type.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && f.getName().contains(namePart)) {
        values.add((String) f.get(null));
      }
    }
    return values;
  }

  @Test
  void everySystemTopicOfRocketMqIsRefused() throws Exception {
    Set<String> system = new TreeSet<>(TopicValidator.getSystemTopicSet());
    system.addAll(constants(TopicValidator.class, "TOPIC"));
    system.remove(TopicValidator.SYSTEM_TOPIC_PREFIX);
    system.add(TopicValidator.SYSTEM_TOPIC_PREFIX + "wheel_timer");
    system.add(TopicValidator.SYNC_BROKER_MEMBER_GROUP_PREFIX + "broker-a");
    system.add("DefaultCluster" + "_" + MixAll.REPLY_TOPIC_POSTFIX);
    assertThat(system).hasSizeGreaterThan(10).allSatisfy(t -> assertThat(ServiceNames.reservedTopic(t)).as(t).isTrue());
    assertThat(ServiceNames.reservedTopic("reliabletx-orders")).isFalse();
  }

  @Test
  void everySystemGroupOfRocketMqIsRefused() throws Exception {
    Set<String> system = constants(MixAll.class, "GROUP");
    system.removeIf(g -> g.startsWith("%") || g.equals(MixAll.WS_DOMAIN_SUBGROUP));
    system.add(MixAll.CID_SYS_RMQ_TRANS);
    system.add(MixAll.CID_RMQ_SYS_PREFIX + "anything");
    assertThat(system).hasSizeGreaterThan(10).allSatisfy(g -> assertThat(ServiceNames.reservedGroup(g)).as(g).isTrue());
    assertThat(ServiceNames.reservedGroup("reliabletx-stock-consumer")).isFalse();
  }
}
