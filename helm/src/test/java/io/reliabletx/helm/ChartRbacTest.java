package io.reliabletx.helm;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.reliabletx.helm.ChartUnderTest.FULLNAME;
import static io.reliabletx.helm.ChartUnderTest.NAMESPACE;
import static io.reliabletx.helm.ChartUnderTest.render;
import static io.reliabletx.helm.ChartUnderTest.renderText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The RBAC rules, exactly: every (apiGroup, resource, verb) the operator is granted, in each mode: the release
 * namespace (the default), a list of namespaces, every namespace ({@code watchAnyNamespace}).
 * A rule added to or dropped from the chart must be added to or dropped from {@link #OPERATOR_PERMISSIONS}
 * on purpose. The k8s-tagged {@code ChartInstallTest} proves on a real API server that they suffice.
 */
class ChartRbacTest {

  private static final List<String> READ_WRITE = List.of("get", "list", "watch", "create", "patch", "delete");
  /** Children the operator never deletes itself (they go by owner references, or are kept on purpose). */
  private static final List<String> READ_APPLY = List.of("get", "list", "watch", "create", "patch");

  /** What the operator may do in each namespace it watches, as "group/resource:verb" ("" is the core group). */
  static final Set<String> OPERATOR_PERMISSIONS = permissions(
      rule("reliabletx.io", List.of("reliabletxpipelines"), List.of("get", "list", "watch")),
      rule("reliabletx.io", List.of("reliabletxpipelines/status"), List.of("patch")),
      rule("reliabletx.io", List.of("reliabletxpipelines/finalizers"), List.of("update")),
      rule("apps", List.of("statefulsets"), READ_APPLY),
      rule("apps", List.of("deployments"), READ_WRITE),
      rule("policy", List.of("poddisruptionbudgets"), READ_APPLY),
      rule("", List.of("services"), READ_WRITE),
      rule("", List.of("configmaps", "secrets"), READ_APPLY),
      rule("batch", List.of("jobs"), READ_WRITE),
      rule("networking.k8s.io", List.of("networkpolicies"), READ_WRITE),
      rule("", List.of("events"), List.of("create")));

  /** Leader election: a Lease in the operator's own namespace. */
  static final Set<String> LEADER_ELECTION_PERMISSIONS = permissions(
      rule("coordination.k8s.io", List.of("leases"), List.of("get", "create", "update")));

  @Test
  void byDefaultTheOperatorWatchesOnlyTheReleaseNamespaceThroughARoleThere() {
    var rendered = render(Map.of());

    assertThat(rendered.all(ClusterRole.class)).as("nothing cluster-wide by default").isEmpty();
    assertThat(rendered.all(ClusterRoleBinding.class)).isEmpty();
    Role role = rendered.one(Role.class, FULLNAME);
    assertThat(role.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(permissions(role.getRules())).containsExactlyInAnyOrderElementsOf(OPERATOR_PERMISSIONS);
    RoleBinding binding = rendered.one(RoleBinding.class, FULLNAME);
    assertThat(binding.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo(FULLNAME);
      assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
    });
    assertThat(rendered.all(Role.class)).as("no Role outside the release namespace").singleElement();
    assertThat(env(rendered.one(Deployment.class))).containsEntry("WATCH_NAMESPACES", NAMESPACE);
  }

  /** The finding: the default install could read every Secret in the cluster, kube-system's included. */
  @Test
  void theDefaultGrantsNothingClusterWideOnSecrets() {
    var rendered = render(Map.of());

    List<PolicyRule> clusterRules = new java.util.ArrayList<>();
    rendered.all(ClusterRole.class).forEach(r -> clusterRules.addAll(r.getRules()));
    assertThat(clusterRules).noneSatisfy(rule -> assertThat(rule.getResources()).containsAnyOf("secrets", "*"));
    // and nothing that would reach a namespace other than the release's through a binding either
    assertThat(rendered.all(ClusterRoleBinding.class)).isEmpty();
    assertThat(rendered.all(RoleBinding.class)).allSatisfy(
        b -> assertThat(b.getMetadata().getNamespace()).isEqualTo(NAMESPACE));
  }

  @Test
  void watchAnyNamespaceGrantsExactlyTheOperatorsRulesThroughAClusterRole() {
    var rendered = render(Map.of("watchAnyNamespace", true));

    ClusterRole role = rendered.one(ClusterRole.class);
    assertThat(permissions(role.getRules())).containsExactlyInAnyOrderElementsOf(OPERATOR_PERMISSIONS);
    ClusterRoleBinding binding = rendered.one(ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo(FULLNAME);
      assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
    });
    assertThat(rendered.all(Role.class)).isEmpty();
    assertThat(rendered.all(RoleBinding.class)).isEmpty();
    assertThat(env(rendered.one(Deployment.class))).as("empty: every namespace").containsEntry("WATCH_NAMESPACES", "");
  }

  @Test
  void watchAnyNamespaceAndAListOfNamespacesAreRefusedTogether() {
    assertThatThrownBy(() -> renderText(Map.of("watchAnyNamespace", true, "watchNamespaces[0]", "team-a")))
        .hasMessageContaining("watchAnyNamespace=true and watchNamespaces [team-a] exclude each other");
  }

  @Test
  void namespacedModeGrantsTheSameRulesPerWatchedNamespaceAndNothingClusterWide() {
    var rendered = render(Map.of("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b"));

    assertThat(rendered.all(ClusterRole.class)).isEmpty();
    assertThat(rendered.all(ClusterRoleBinding.class)).isEmpty();
    assertThat(rendered.all(Role.class)).extracting(r -> r.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("team-a", "team-b");
    for (String namespace : List.of("team-a", "team-b")) {
      Role role = rendered.all(Role.class).stream()
          .filter(r -> r.getMetadata().getNamespace().equals(namespace)).findFirst().orElseThrow();
      assertThat(permissions(role.getRules())).as("Role in %s", namespace)
          .containsExactlyInAnyOrderElementsOf(OPERATOR_PERMISSIONS);
      RoleBinding binding = rendered.all(RoleBinding.class).stream()
          .filter(b -> b.getMetadata().getNamespace().equals(namespace)).findFirst().orElseThrow();
      assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
      assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
        assertThat(s.getName()).isEqualTo(FULLNAME);
        assertThat(s.getNamespace()).as("the ServiceAccount stays in the release namespace").isEqualTo(NAMESPACE);
      });
    }
    assertThat(rendered.all(Role.class)).as("the release namespace is not watched unless listed")
        .noneMatch(r -> r.getMetadata().getNamespace().equals(NAMESPACE));
    assertThat(env(rendered.one(Deployment.class))).containsEntry("WATCH_NAMESPACES", "team-a,team-b");
  }

  @Test
  void leaderElectionAddsOnlyLeaseRightsInTheReleaseNamespace() {
    for (var values : List.<Map<String, Object>>of(Map.of("replicaCount", 2),
        Map.of("replicaCount", 2, "watchNamespaces[0]", "team-a"), Map.of("replicaCount", 2, "watchAnyNamespace", true))) {
      var rendered = render(values);
      Role lease = rendered.one(Role.class, FULLNAME + "-leader-election");

      assertThat(lease.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
      assertThat(permissions(lease.getRules())).containsExactlyInAnyOrderElementsOf(LEADER_ELECTION_PERMISSIONS);
      RoleBinding binding = rendered.one(RoleBinding.class, FULLNAME + "-leader-election");
      assertThat(binding.getRoleRef().getName()).isEqualTo(lease.getMetadata().getName());
      assertThat(binding.getSubjects().get(0).getName()).isEqualTo(FULLNAME);
    }
  }

  @Test
  void noRuleUsesWildcardsResourceNamesOrNonResourceUrls() {
    for (var values : List.<Map<String, Object>>of(Map.of(), Map.of("watchAnyNamespace", true),
        Map.of("replicaCount", 2, "watchNamespaces[0]", "a"))) {
      var rendered = render(values);
      var rules = new java.util.ArrayList<PolicyRule>();
      rendered.all(ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
      rendered.all(Role.class).forEach(r -> rules.addAll(r.getRules()));

      assertThat(rules).isNotEmpty().allSatisfy(rule -> {
        assertThat(rule.getApiGroups()).doesNotContain("*");
        assertThat(rule.getResources()).doesNotContain("*");
        assertThat(rule.getVerbs()).doesNotContain("*", "escalate", "bind", "impersonate");
        assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
        assertThat(rule.getResourceNames()).isNullOrEmpty();
      });
    }
  }

  @Test
  void rbacCanBeLeftToTheAdmin() {
    for (var values : List.<Map<String, Object>>of(Map.of("rbac.create", false, "replicaCount", 2),
        Map.of("rbac.create", false, "watchAnyNamespace", true))) {
      var rendered = render(values);

      assertThat(rendered.all(ClusterRole.class)).isEmpty();
      assertThat(rendered.all(ClusterRoleBinding.class)).isEmpty();
      assertThat(rendered.all(Role.class)).isEmpty();
      assertThat(rendered.all(RoleBinding.class)).isEmpty();
    }
  }

  static Map<String, String> env(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  static PolicyRule rule(String group, List<String> resources, List<String> verbs) {
    PolicyRule rule = new PolicyRule();
    rule.setApiGroups(List.of(group));
    rule.setResources(resources);
    rule.setVerbs(verbs);
    return rule;
  }

  static Set<String> permissions(PolicyRule... rules) {
    return permissions(List.of(rules));
  }

  /** Flattens rules to "group/resource:verb" strings, so that grouping and order do not matter. */
  static Set<String> permissions(List<PolicyRule> rules) {
    Set<String> permissions = new TreeSet<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            permissions.add(group + "/" + resource + ":" + verb);
          }
        }
      }
    }
    return permissions;
  }
}
