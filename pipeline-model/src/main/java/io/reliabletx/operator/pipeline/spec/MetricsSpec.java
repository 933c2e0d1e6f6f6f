package io.reliabletx.operator.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Prometheus metrics of the broker: its exporter (broker.conf metricsExporterType=PROM). */
public class MetricsSpec {
  @JsonPropertyDescription("Run the broker's Prometheus exporter (broker.conf metricsExporterType PROM) on port 5557,"
      + " named metrics on the broker's pods and Service; status.endpoints.brokerMetrics gives its URL.")
  @Default("true")
  private boolean enabled = true;

  public boolean isEnabled() { return enabled; }
  public void setEnabled(boolean v) { enabled = v; }
}
