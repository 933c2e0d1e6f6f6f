package io.reliabletx.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.reliabletx.operator.pipeline.spec.OrderServiceSpec;
import io.reliabletx.operator.pipeline.spec.PipelineAdminSpec;
import io.reliabletx.operator.pipeline.spec.ReleaseImages;
import io.reliabletx.operator.pipeline.spec.StockServiceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;

/**
 * One version and one registry wherever a default image reference is made, so that a release tag's images are the
 * ones its chart and its operator name: the chart's version and appVersion, the project (pom) version without
 * -SNAPSHOT, the operator's image in the chart, the operator's defaults for the services' images (Java and the
 * chart's CRD), and the names Jib builds and the release pushes.
 */
class ReleaseVersionTest {
  static final String REGISTRY = Objects.requireNonNull(System.getProperty("reliabletx.image.registry"),
      "run through Maven: the pom passes reliabletx.image.registry");
  static final String PROJECT_VERSION = Objects.requireNonNull(System.getProperty("project.version"),
      "run through Maven: the pom passes project.version");

  static Map<?, ?> chartYaml() throws Exception {
    return Serialization.unmarshal(Files.readString(ChartUnderTest.chartDir().resolve("Chart.yaml")), Map.class);
  }

  static String appVersion() throws Exception {
    return String.valueOf(chartYaml().get("appVersion"));
  }

  @Test
  void chartVersionAndAppVersionAreTheProjectVersion() throws Exception {
    Map<?, ?> chart = chartYaml();
    String release = PROJECT_VERSION.replaceFirst("-SNAPSHOT$", "");

    assertThat(chart.get("version")).as("Chart.yaml version vs the pom's %s", PROJECT_VERSION).isEqualTo(release);
    assertThat(chart.get("appVersion")).as("Chart.yaml appVersion vs the pom's %s", PROJECT_VERSION).isEqualTo(release);
  }

  @Test
  void theChartRunsTheReleasedOperatorImage() throws Exception {
    Deployment deployment = ChartUnderTest.render(Map.of()).one(Deployment.class);
    Container operator = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(operator.getImage()).isEqualTo(REGISTRY + "/operator:" + appVersion());
  }

  @Test
  void theOperatorDefaultsToTheReleasedServiceImages() throws Exception {
    String version = appVersion();

    assertThat(ReleaseImages.REGISTRY).isEqualTo(REGISTRY);
    assertThat(ReleaseImages.VERSION).isEqualTo(version);
    assertThat(new OrderServiceSpec().getImage()).isEqualTo(REGISTRY + "/sample-order:" + version);
    assertThat(new StockServiceSpec().getImage()).isEqualTo(REGISTRY + "/sample-stock:" + version);
    assertThat(new PipelineAdminSpec().getImage()).isEqualTo(REGISTRY + "/pipeline-admin:" + version);
  }

  @Test
  void theChartsCrdDefaultsToTheReleasedServiceImages() throws Exception {
    Path crdFile = ChartUnderTest.chartDir().resolve("crds/reliabletxpipelines.reliabletx.io-v1.yml");
    CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(crdFile), CustomResourceDefinition.class);
    JSONSchemaProps spec = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema()
        .getProperties().get("spec");
    String version = appVersion();

    assertThat(spec.getProperties().get("order").getProperties().get("image").getDefault().asText())
        .isEqualTo(REGISTRY + "/sample-order:" + version);
    assertThat(spec.getProperties().get("stock").getProperties().get("image").getDefault().asText())
        .isEqualTo(REGISTRY + "/sample-stock:" + version);
    assertThat(spec.getProperties().get("pipelineAdmin").getProperties().get("image").getDefault().asText())
        .isEqualTo(REGISTRY + "/pipeline-admin:" + version);
  }

  @Test
  void jibNamesEachImageAfterTheRegistryAndTheGivenTag() throws Exception {
    // The tag comes from the command line (scripts/images/build.sh: appVersion; the release workflow: the tag's
    // version), the registry from the root pom.
    for (String module : new String[] {"operator", "sample-order", "sample-stock", "pipeline-admin"}) {
      var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(ChartUnderTest.repoRoot().resolve(module).resolve("pom.xml").toFile());
      String toImage = XPathFactory.newInstance().newXPath()
          .evaluate("/*[local-name()='project']/*[local-name()='properties']/*[local-name()='jib.to.image']", pom);

      assertThat(toImage).as("jib.to.image of %s", module)
          .isEqualTo("${reliabletx.image.registry}/" + module + ":${reliabletx.image.tag}");
    }
  }
}
