package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.acl.RocketMqAcl;
import io.reliabletx.operator.pipeline.children.Broker;
import io.reliabletx.operator.pipeline.spec.ReleaseImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker starts only once its own DNS name (brokerIP1) resolves: started before, it stamped stored messages with an
 * unresolved address and every send failed until it was restarted (seen on the real node after a broker pod was
 * deleted). The start script runs here through a real sh, with a getent that answers only on its third call.
 */
class BrokerStartTest {

  @Test
  void theBrokerWaitsForItsOwnNameThenExecsMqbroker(@TempDir Path dir) throws Exception {
    ReliableTxPipeline pipeline = Pipelines.example("minimal.yaml", "shop");
    pipeline.getSpec().getAcl().setEnabled(false);
    PodSpec pod = Broker.statefulSet(pipeline).getSpec().getTemplate().getSpec();
    Container broker = pod.getContainers().get(0);
    assertThat(broker.getCommand()).containsExactly("sh", "-c", Broker.START);
    assertThat(pod.getInitContainers()).isEmpty();
    assertThat(broker.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
        .contains(org.assertj.core.groups.Tuple.tuple(Broker.BROKER_HOST_ENV,
            "$(" + Broker.POD_NAME_ENV + ").minimal-broker.shop.svc"));
    assertThat(out(dir, Broker.START, "minimal-broker-0"))
        .containsOnlyOnce("mqbroker started with -c /home/rocketmq/conf/broker.conf")
        .contains("waiting for minimal-broker-0.minimal-broker.shop.svc to resolve");
  }

  /** A slave (pod i) reads its own file, broker-i.conf. */
  @Test
  void aSlaveReadsItsOwnBrokerConf(@TempDir Path dir) throws Exception {
    assertThat(out(dir, Broker.START, "minimal-broker-2"))
        .containsOnlyOnce("mqbroker started with -c /home/rocketmq/conf/broker-2.conf")
        .contains("waiting for minimal-broker-2.minimal-broker.shop.svc to resolve");
  }

  /**
   * With the ACL on, the super user's password reaches only the init container (the admin program, from env), which
   * writes the pod's private broker.conf; the broker's start script reads that file and never sees the password.
   */
  @Test
  void withTheAclTheBrokerReadsThePrivateFileTheInitContainerWrites(@TempDir Path dir) throws Exception {
    ReliableTxPipeline pipeline = Pipelines.example("minimal.yaml", "shop");
    PodSpec pod = Broker.statefulSet(pipeline).getSpec().getTemplate().getSpec();
    Container broker = pod.getContainers().get(0);
    assertThat(broker.getCommand()).containsExactly("sh", "-c", Broker.START_WITH_ACL);
    assertThat(broker.getEnv()).extracting(EnvVar::getName).doesNotContain(RocketMqAcl.ADMIN_PASSWORD_ENV);
    Container init = pod.getInitContainers().get(0);
    assertThat(init.getImage()).isEqualTo(ReleaseImages.PIPELINE_ADMIN);
    assertThat(init.getCommand()).isEmpty();
    assertThat(init.getArgs()).containsExactly(Broker.PRIVATE_CONFIG_COMMAND);
    assertThat(init.getEnv()).filteredOn(e -> e.getName().equals(RocketMqAcl.ADMIN_PASSWORD_ENV)).singleElement()
        .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("rocketmq-admin-password"));
    // Both containers share the pod's /tmp, where the private file lives.
    assertThat(init.getVolumeMounts()).extracting(m -> m.getMountPath()).contains("/tmp");
    assertThat(broker.getVolumeMounts()).extracting(m -> m.getMountPath()).contains("/tmp");
    assertThat(out(dir, Broker.START_WITH_ACL, "minimal-broker-1"))
        .containsOnlyOnce("mqbroker started with -c " + Broker.PRIVATE_CONFIG_FILE);
  }

  /** Runs the start script as pod {@code pod}; its getent answers on the third call. */
  private static String out(Path dir, String script, String pod) throws Exception {

    Path bin = Files.createDirectories(dir.resolve("bin"));
    executable(bin.resolve("getent"), """
        #!/bin/sh
        n=$(cat "$CALLS" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$CALLS"
        [ "$n" -ge 3 ] && [ "$2" = "$BROKER_HOST" ]
        """);
    Files.writeString(dir.resolve("mqbroker"), "echo \"mqbroker started with $*\"\n");
    ProcessBuilder start = new ProcessBuilder("sh", "-c", script).directory(dir.toFile())
        .redirectErrorStream(true);
    start.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    start.environment().put("CALLS", dir.resolve("calls").toString());
    start.environment().put(Broker.POD_NAME_ENV, pod);
    start.environment().put(Broker.BROKER_HOST_ENV, pod + ".minimal-broker.shop.svc");
    Process p = start.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out.lines().filter(l -> l.startsWith("waiting for"))).hasSize(2);
    assertThat(p.exitValue()).isZero();
    return out;
  }

  private static void executable(Path file, String text) throws Exception {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
