package io.reliabletx.operator.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.ArrayList;
import java.util.List;

/**
 * NetworkPolicies of the pipeline: each component admits only the peers that need it (NetworkPolicies in the
 * children package); the broker's metrics port is open to {@link #metricsFrom}, the console to {@link #consoleFrom},
 * the order and stock services' HTTP port to {@link #servicesFrom}.
 */
public class NetworkPolicySpec {
  @JsonPropertyDescription("Create the NetworkPolicies (enforced only where the cluster's network plugin enforces"
      + " NetworkPolicies).")
  @Default("true")
  private boolean enabled = true;

  @JsonPropertyDescription("Who may scrape the broker's metrics port (NetworkPolicy peers, e.g. the namespace of your"
      + " Prometheus). Empty: pods of every namespace.")
  private List<NetworkPolicyPeer> metricsFrom = new ArrayList<>();

  @JsonPropertyDescription("Who may reach the console (NetworkPolicy peers, e.g. your ingress controller's namespace)."
      + " Empty: nobody but the node, so kubectl port-forward works and no pod does.")
  private List<NetworkPolicyPeer> consoleFrom = new ArrayList<>();

  @JsonPropertyDescription("Who may call the order and stock services' HTTP port (NetworkPolicy peers). Empty: pods of"
      + " every namespace.")
  private List<NetworkPolicyPeer> servicesFrom = new ArrayList<>();

  public boolean isEnabled() { return enabled; }
  public void setEnabled(boolean v) { enabled = v; }
  public List<NetworkPolicyPeer> getMetricsFrom() { return metricsFrom; }
  public void setMetricsFrom(List<NetworkPolicyPeer> v) { metricsFrom = v == null ? new ArrayList<>() : v; }
  public List<NetworkPolicyPeer> getConsoleFrom() { return consoleFrom; }
  public void setConsoleFrom(List<NetworkPolicyPeer> v) { consoleFrom = v == null ? new ArrayList<>() : v; }
  public List<NetworkPolicyPeer> getServicesFrom() { return servicesFrom; }
  public void setServicesFrom(List<NetworkPolicyPeer> v) { servicesFrom = v == null ? new ArrayList<>() : v; }
}
