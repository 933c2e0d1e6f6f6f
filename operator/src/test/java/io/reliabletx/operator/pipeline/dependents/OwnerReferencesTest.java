package io.reliabletx.operator.pipeline.dependents;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.reliabletx.operator.Pipelines;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import io.reliabletx.operator.pipeline.children.Broker;
import io.reliabletx.operator.pipeline.children.Mysql;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Children name the pipeline as their controller and block its foreground deletion; the credentials Secret does so
 * only when MySQL's data goes with the pipeline (it is kept with the data otherwise).
 */
class OwnerReferencesTest {
  static ReliableTxPipeline pipeline() {
    ReliableTxPipeline p = Pipelines.example("minimal.yaml", "shop");
    p.getMetadata().setUid("6b1f2c3d-0000-4000-8000-000000000001");
    return p;
  }

  static void assertControlledBy(List<OwnerReference> refs, ReliableTxPipeline p) {
    assertThat(refs).singleElement().satisfies(ref -> {
      assertThat(ref.getKind()).isEqualTo("ReliableTxPipeline");
      assertThat(ref.getApiVersion()).isEqualTo("reliabletx.io/v1alpha1");
      assertThat(ref.getName()).isEqualTo("minimal");
      assertThat(ref.getUid()).isEqualTo(p.getMetadata().getUid());
      assertThat(ref.getController()).isTrue();
      assertThat(ref.getBlockOwnerDeletion()).isTrue();
    });
  }

  @Test
  void aChildIsControlledByItsPipeline() {
    ReliableTxPipeline p = pipeline();
    StatefulSet broker = Broker.statefulSet(p);
    new BrokerDependent().addReferenceHandlingMetadata(broker, p);
    assertControlledBy(broker.getMetadata().getOwnerReferences(), p);
  }

  @Test
  void theCredentialsAreOwnedOnlyWhenMysqlsDataIsNotRetained() {
    ReliableTxPipeline p = pipeline();
    Secret kept = Mysql.credentials(p, Map.of());
    new CredentialsDependent().addReferenceHandlingMetadata(kept, p);
    assertThat(kept.getMetadata().getOwnerReferences()).isEmpty();

    p.getSpec().getMysql().getStorage().setRetainOnDelete(false);
    Secret owned = Mysql.credentials(p, Map.of());
    new CredentialsDependent().addReferenceHandlingMetadata(owned, p);
    assertControlledBy(owned.getMetadata().getOwnerReferences(), p);
  }
}
