package io.reliabletx.operator.pipeline;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.reliabletx.operator.pipeline.spec.ReliableTxPipelineSpec;
import io.reliabletx.operator.pipeline.status.ReliableTxPipelineStatus;

/** One reliable-messaging pipeline: NameServer, Broker, console, MySQL and the wired order/stock services. */
@Group(ReliableTxPipeline.GROUP)
@Version(ReliableTxPipeline.VERSION)
@Kind("ReliableTxPipeline")
@Plural("reliabletxpipelines")
@ShortNames("rtp")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Phase", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "NameServer", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.endpoints.nameServer")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class ReliableTxPipeline extends CustomResource<ReliableTxPipelineSpec, ReliableTxPipelineStatus>
    implements Namespaced {
  public static final String GROUP = "reliabletx.io";
  public static final String VERSION = "v1alpha1";

  @Override
  protected ReliableTxPipelineSpec initSpec() {
    return new ReliableTxPipelineSpec();
  }

  @Override
  protected ReliableTxPipelineStatus initStatus() {
    return new ReliableTxPipelineStatus();
  }
}
