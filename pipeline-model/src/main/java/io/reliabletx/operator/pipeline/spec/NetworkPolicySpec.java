package io.reliabletx.operator.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.ArrayList;
import java.util.List;

/**
 * NetworkPolicies of the pipeline: only its own pods reach MySQL (the order and stock services), the name server and
 * the broker (every pod of the pipeline); the broker's metrics port is open to {@link #metricsFrom}.
 */
public class NetworkPolicySpec {
  @JsonPropertyDescription("Create the NetworkPolicies (enforced only where the cluster's network plugin enforces"
      + " NetworkPolicies).")
  @Default("true")
  private boolean enabled = true;

  @JsonPropertyDescription("Who may scrape the broker's metrics port (NetworkPolicy peers, e.g. the namespace of your"
      + " Prometheus). Empty: pods of every namespace.")
  private List<NetworkPolicyPeer> metricsFrom = new ArrayList<>();

  public boolean isEnabled() { return enabled; }
  public void setEnabled(boolean v) { enabled = v; }
  public List<NetworkPolicyPeer> getMetricsFrom() { return metricsFrom; }
  public void setMetricsFrom(List<NetworkPolicyPeer> v) { metricsFrom = v == null ? new ArrayList<>() : v; }
}
