package io.reliabletx.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.TopicsJob;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The name limit of the CRD, derived from every child's own limit rather than guessed. */
class PipelineNamesTest {
  static final int DNS_LABEL = 63;

  static boolean fits(ReliableTxPipeline p) {
    PipelineNames n = new PipelineNames(p);
    int replicas = 5;
    // StatefulSets: controller-revision-hash label = name + "-" + 10 characters; pods: name-<ordinal>, a DNS label.
    for (String sts : List.of(n.nameServer(), n.broker(), n.mysql())) {
      if (sts.length() > PipelineNames.MAX_STATEFULSET_NAME_LENGTH || (sts + "-" + (replicas - 1)).length() > DNS_LABEL) {
        return false;
      }
    }
    // Services: DNS-1035 labels. The topics Job: its name is a label value on its pods (job-name).
    for (String label : List.of(n.nameServer(), n.broker(), n.mysql(), n.console(), n.order(), n.stock(),
        TopicsJob.name(p), p.getMetadata().getName())) {
      if (label.length() > DNS_LABEL || !label.matches(PipelineNames.DNS_1035_LABEL)) {
        return false;
      }
    }
    // ConfigMaps and Secrets: DNS subdomains (253).
    return List.of(n.brokerConfig(), n.mysqlInit(), n.credentials()).stream().allMatch(s -> s.length() <= 253);
  }

  @Test
  void theLongestAcceptedNameFitsEveryChildAndOneMoreDoesNot() {
    assertThat(fits(Pipelines.defaults("a".repeat(PipelineNames.MAX_NAME_LENGTH), "ns"))).isTrue();
    assertThat(fits(Pipelines.defaults("a".repeat(PipelineNames.MAX_NAME_LENGTH + 1), "ns"))).isFalse();
  }
}
