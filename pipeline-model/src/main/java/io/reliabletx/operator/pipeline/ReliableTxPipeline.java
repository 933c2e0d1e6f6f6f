package io.reliabletx.operator.pipeline;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
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
@ValidationRule(value = "self.metadata.name.size() <= " + PipelineNames.MAX_NAME_LENGTH,
    message = "metadata.name must be at most " + PipelineNames.MAX_NAME_LENGTH + " characters: the longest child,"
        + " the StatefulSet <name>-namesrv, may have at most " + PipelineNames.MAX_STATEFULSET_NAME_LENGTH
        + " (its pods' controller-revision-hash label adds 11 to it and a label holds 63)",
    reason = "FieldValueInvalid")
@ValidationRule(value = "self.metadata.name.matches('" + PipelineNames.DNS_1035_LABEL + "')",
    message = "metadata.name must be a DNS-1035 label (lowercase letters, digits and '-', starting with a letter and"
        + " ending with a letter or digit): it starts the names of the pipeline's Services",
    reason = "FieldValueInvalid")
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
