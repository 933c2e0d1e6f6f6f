package io.reliabletx.operator.pipeline.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.spec.ReliableTxPipelineSpec;
import java.util.List;

/** The status of a pipeline from its spec and the conditions found. Never holds a credential. */
public final class PipelineStatus {
  private PipelineStatus() {}

  public static ReliableTxPipelineStatus of(ReliableTxPipeline p, ReliableTxPipelineStatus.Phase phase,
      List<Condition> conditions) {
    PipelineNames names = new PipelineNames(p);
    ReliableTxPipelineSpec spec = p.getSpec();
    ReliableTxPipelineStatus s = new ReliableTxPipelineStatus();
    s.setObservedGeneration(p.getMetadata().getGeneration());
    s.setPhase(phase);
    s.setConditions(conditions);
    ReliableTxPipelineStatus.Endpoints e = new ReliableTxPipelineStatus.Endpoints();
    e.setNameServer(names.nameServerAddress(spec));
    if (spec.getConsole().isEnabled()) {
      e.setConsole(names.consoleUrl());
    }
    e.setMysql(names.mysqlHost() + ":" + PipelineNames.MYSQL_PORT);
    if (spec.getMetrics().isEnabled()) {
      e.setBrokerMetrics(names.brokerMetricsUrl());
    }
    s.setEndpoints(e);
    ReliableTxPipelineStatus.Wiring w = new ReliableTxPipelineStatus.Wiring();
    w.setTopic(spec.getOrder().getTopic());
    w.setResultTopic(spec.getOrder().getResultTopic());
    w.setProducerGroup(spec.getOrder().getProducerGroup());
    w.setResultConsumerGroup(spec.getOrder().getResultConsumerGroup());
    w.setConsumerGroup(spec.getStock().getConsumerGroup());
    s.setWiring(w);
    return s;
  }
}
