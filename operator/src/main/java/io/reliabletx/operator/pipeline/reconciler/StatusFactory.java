package io.reliabletx.operator.pipeline.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.reliabletx.operator.pipeline.PipelineNames;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.spec.ReliableTxPipelineSpec;
import io.reliabletx.operator.pipeline.status.ReliableTxPipelineStatus;
import java.util.List;

/** The status of a pipeline from its spec and the conditions found. Never holds a credential. */
final class StatusFactory {
  private StatusFactory() {}

  static ReliableTxPipelineStatus status(ReliableTxPipeline p, ReliableTxPipelineStatus.Phase phase,
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
