package io.reliabletx.admin.privateconfig;

import static org.assertj.core.api.Assertions.assertThat;

import com.alibaba.fastjson2.JSON;
import io.reliabletx.admin.HostileSecrets;
import io.reliabletx.admin.PipelineAdmin;
import io.reliabletx.admin.PrivateFiles;
import io.reliabletx.operator.Pipelines;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.brokerconf.BrokerConfig;
import io.reliabletx.operator.pipeline.children.Broker;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.rocketmq.acl.common.AclUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's private config as its init container writes it, read back the way RocketMQ reads it: broker.conf with
 * {@link Properties#load(InputStream)} (BrokerStartup) and the super user's JSON with fastjson2 (the broker's JSON
 * library), tools.yml with mqadmin's own {@link AclUtils#getYamlDataObject}. Whatever a user's Secret holds, the file
 * has exactly the ConfigMap's entries plus the super user, with exactly the Secret's characters.
 */
class BrokerPrivateConfigTest {
  @TempDir Path dir;

  record Written(Properties conf, Path confFile, Path toolsYml, String output) {}

  /** Runs {@code broker-config} as pod {@code pod} of a two-pod group with the ACL on. */
  Written write(String pod, String username, String password) throws Exception {
    ReliableTxPipeline p = Pipelines.defaults("shop", "ns");
    p.getSpec().getBroker().setReplicas(2);
    Path source = Files.createDirectories(dir.resolve("configmap"));
    for (var file : Broker.config(p).getData().entrySet()) {
      Files.writeString(source.resolve(file.getKey()), file.getValue());
    }
    Path target = dir.resolve("tmp/rocketmq-conf/broker.conf");
    Path home = dir.resolve("tmp/rocketmq-admin");
    int ordinal = Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    var config = new BrokerPrivateConfig(source, target, home, ordinal, username, password);
    config.write(new PrintStream(out, true, StandardCharsets.UTF_8));
    Properties loaded = new Properties();
    try (InputStream in = Files.newInputStream(target)) {
      loaded.load(in);
    }
    return new Written(loaded, target, home.resolve("conf/tools.yml"), out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void everyHostileValueStaysInsideItsValue() throws Exception {
    ReliableTxPipeline p = Pipelines.defaults("shop", "ns");
    p.getSpec().getBroker().setReplicas(2);
    Properties rendered = new Properties();
    rendered.load(new java.io.StringReader(Broker.config(p).getData().get(BrokerConfig.fileName(1))));
    for (var hostile : HostileSecrets.values().entrySet()) {
      String password = hostile.getValue();
      Written w = write("shop-broker-1", "admin'\"\n=x", password);
      Map<String, String> expected = new HashMap<>();
      rendered.forEach((k, v) -> expected.put((String) k, (String) v));
      expected.put("initAuthenticationUser", JSON.toJSONString(Map.of("username", "admin'\"\n=x", "password", password)));
      expected.put("innerClientAuthenticationCredentials",
          JSON.toJSONString(Map.of("accessKey", "admin'\"\n=x", "secretKey", password)));
      Map<String, String> actual = new HashMap<>();
      w.conf().forEach((k, v) -> actual.put((String) k, (String) v));
      assertThat(actual.keySet()).as(hostile.getKey()).isEqualTo(expected.keySet());
      assertThat(actual).as(hostile.getKey()).containsEntry("authenticationEnabled", "true")
          .containsEntry("brokerId", "1");
      var user = JSON.parseObject(actual.get("initAuthenticationUser"));
      assertThat(user.getString("username")).as(hostile.getKey()).isEqualTo("admin'\"\n=x");
      assertThat(user.getString("password")).as(hostile.getKey()).isEqualTo(password);
      var inner = JSON.parseObject(actual.get("innerClientAuthenticationCredentials"));
      assertThat(inner.getString("secretKey")).as(hostile.getKey()).isEqualTo(password);

      @SuppressWarnings("unchecked")
      Map<String, Object> tools = AclUtils.getYamlDataObject(w.toolsYml().toString(), Map.class);
      assertThat(tools).as(hostile.getKey()).containsEntry("accessKey", "admin'\"\n=x").containsEntry("secretKey", password)
          .hasSize(2);
      assertThat(w.output()).doesNotContain(password);
    }
    assertThat(Path.of("/tmp/pwned-by-secret")).doesNotExist();
  }

  @Test
  void theMasterGetsBrokerConfAndOnlyThePodsUserCanReadIt() throws Exception {
    Written w = write("shop-broker-0", "admin", "secret");
    assertThat(w.conf().getProperty("brokerId")).isEqualTo("0");
    assertThat(w.conf().getProperty("brokerRole")).isEqualTo("ASYNC_MASTER");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(w.confFile()))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(w.toolsYml()))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(w.confFile().getParent())))
        .isEqualTo("rwx------");
    assertThat(w.output()).contains("wrote", "broker.conf", "the super user admin");
  }

  @Test
  void missingSettingsAreNamed() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = PipelineAdmin.run(new String[] {PipelineAdmin.BROKER_CONFIG}, Map.of(Broker.POD_NAME_ENV, "shop-broker-0"),
        new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(exit).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("ROCKETMQ_ADMIN_HOME is not set");
  }
}
