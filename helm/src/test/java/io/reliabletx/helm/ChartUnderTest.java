package io.reliabletx.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The chart in this module, rendered offline with helm-java (Helm 3 as a native library). */
final class ChartUnderTest {

  static final String RELEASE = "rtx";
  static final String NAMESPACE = "rtx-system";
  /** Full name of every object for release {@link #RELEASE}: release + chart name. */
  static final String FULLNAME = "rtx-reliable-tx-operator";

  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

  private ChartUnderTest() {
  }

  /** The chart directory, found from the module directory (Surefire's working directory) or the repository root. */
  static Path chartDir() {
    for (Path candidate : List.of(Path.of("reliable-tx-operator"), Path.of("helm", "reliable-tx-operator"))) {
      if (Files.isRegularFile(candidate.resolve("Chart.yaml"))) {
        return candidate.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException("chart not found from " + Path.of("").toAbsolutePath());
  }

  /** The repository root (parent of the helm module). */
  static Path repoRoot() {
    return chartDir().getParent().getParent();
  }

  static Helm helm() {
    return new Helm(chartDir());
  }

  /** {@code helm template rtx <chart> -n rtx-system --set k=v ...}, as text. */
  static String renderText(Map<String, Object> values) {
    TemplateCommand template = helm().template().withName(RELEASE).withNamespace(NAMESPACE);
    values.forEach(template::set);
    return template.call();
  }

  /** What {@code helm install --dry-run=client} prints, NOTES.txt included ({@code helm template} renders no notes). */
  static String installOutput(Map<String, Object> values) {
    InstallCommand install = helm().install().withName(RELEASE).withNamespace(NAMESPACE).dryRun().clientOnly();
    values.forEach(install::set);
    return install.call().getOutput();
  }

  /** The rendered manifests, each parsed by fabric8 as its kind. */
  static Rendered render(Map<String, Object> values) {
    return new Rendered(parse(renderText(values)));
  }

  static List<HasMetadata> parse(String manifests) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : DOCUMENT_SEPARATOR.split(manifests)) {
      if (document.lines().allMatch(line -> line.isBlank() || line.stripLeading().startsWith("#"))) {
        continue;
      }
      objects.add(Serialization.unmarshal(document));
    }
    return objects;
  }

  /** A rendered release: lookup helpers over its objects. */
  record Rendered(List<HasMetadata> objects) {

    <T extends HasMetadata> List<T> all(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
      return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
      return find(type, name).orElseThrow(() -> new AssertionError(
          "no " + type.getSimpleName() + " named " + name + " among " + summary()));
    }

    <T extends HasMetadata> T one(Class<T> type) {
      List<T> found = all(type);
      if (found.size() != 1) {
        throw new AssertionError("expected one " + type.getSimpleName() + " among " + summary());
      }
      return found.get(0);
    }

    List<String> summary() {
      return objects.stream()
          .map(o -> o.getKind() + "/" + Optional.ofNullable(o.getMetadata().getNamespace()).map(ns -> ns + "/").orElse("")
              + o.getMetadata().getName())
          .toList();
    }
  }
}
