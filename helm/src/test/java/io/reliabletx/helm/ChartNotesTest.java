package io.reliabletx.helm;

import static io.reliabletx.helm.ChartUnderTest.NAMESPACE;
import static io.reliabletx.helm.ChartUnderTest.installOutput;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The install notes say which namespaces are watched, where to create a pipeline, and warn when it is every one. */
class ChartNotesTest {

  @Test
  void byDefaultTheNotesNameTheReleaseNamespaceAndCreateThePipelineThere() {
    String notes = installOutput(Map.of());

    assertThat(notes).contains("It watches ReliableTxPipelines in: " + NAMESPACE + " (the release namespace")
        .contains("kubectl apply -n " + NAMESPACE + " -f -")
        .contains("kubectl wait rtp/demo -n " + NAMESPACE)
        .doesNotContain("WARNING");
  }

  @Test
  void aListOfNamespacesIsNamedAndThePipelineGoesToTheFirst() {
    String notes = installOutput(Map.of("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b"));

    assertThat(notes).contains("It watches ReliableTxPipelines in: team-a, team-b.")
        .contains("kubectl apply -n team-a -f -")
        .doesNotContain("WARNING");
  }

  @Test
  void watchingEveryNamespaceComesWithAWarningAboutItsRights() {
    String notes = installOutput(Map.of("watchAnyNamespace", true));

    assertThat(notes).contains("It watches ReliableTxPipelines in all namespaces.")
        .contains("WARNING: watchAnyNamespace=true")
        .contains("is bound to a ClusterRole")
        .contains("Secrets, ConfigMaps, Deployments, StatefulSets and Jobs in EVERY namespace")
        .contains("watchNamespaces={ns1,ns2}");
    assertThat(installOutput(Map.of("watchAnyNamespace", true, "rbac.create", false)))
        .contains("WARNING: watchAnyNamespace=true: the operator's ServiceAccount needs the rights to");
  }
}
