package io.reliabletx.operator.pipeline.children;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicy;
import io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicyBuilder;
import io.reliabletx.operator.pipeline.spec.StorageSpec;
import java.util.Map;

/** Volume claim templates from a {@link StorageSpec}. */
final class Storage {
  private Storage() {}

  static PersistentVolumeClaim claim(String name, StorageSpec spec, Map<String, String> labels) {
    return new PersistentVolumeClaimBuilder()
        .withApiVersion("v1").withKind("PersistentVolumeClaim")
        .withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec()
          .withAccessModes("ReadWriteOnce")
          .withStorageClassName(spec.getStorageClassName())
          .withVolumeMode("Filesystem")
          .withNewResources().withRequests(Map.of("storage", new Quantity(spec.getSize()))).endResources()
        .endSpec()
        .build();
  }

  static StatefulSetPersistentVolumeClaimRetentionPolicy retention(StorageSpec spec) {
    return new StatefulSetPersistentVolumeClaimRetentionPolicyBuilder()
        .withWhenDeleted(spec.isRetainOnDelete() ? "Retain" : "Delete")
        .withWhenScaled("Retain")
        .build();
  }
}
