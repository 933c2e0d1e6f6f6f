package io.reliabletx.operator.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A persistent volume claim template. Size and class are fixed once the pipeline exists: a StatefulSet's
 * volumeClaimTemplates are immutable, so the API server refuses the change rather than the operator failing on it.
 */
@ValidationRule(value = "self.size == oldSelf.size || !isQuantity(oldSelf.size)",
    message = "storage.size cannot change on a live pipeline: a StatefulSet's volumeClaimTemplates are immutable. To grow"
        + " the volume, patch its PersistentVolumeClaim (kubectl patch pvc ...) if its StorageClass allows expansion"
        + " (a size that was never a quantity may be corrected)",
    fieldPath = ".size", reason = "FieldValueForbidden")
@ValidationRule(value = "has(self.storageClassName) == has(oldSelf.storageClassName)"
    + " && (!has(self.storageClassName) || self.storageClassName == oldSelf.storageClassName)",
    message = "storage.storageClassName cannot change on a live pipeline: a StatefulSet's volumeClaimTemplates are"
        + " immutable and the data would not move to the new class",
    fieldPath = ".storageClassName", reason = "FieldValueForbidden")
public class StorageSpec {
  @JsonPropertyDescription("Requested size, a Kubernetes quantity such as 10Gi.")
  @Size(max = 32)
  @ValidationRule(value = "isQuantity(self) && quantity(self).isGreaterThan(quantity('0'))",
      message = "storage.size must be a Kubernetes quantity greater than zero, such as 10Gi or 500M (binary suffixes"
          + " Ki Mi Gi Ti Pi Ei, decimal k M G T P E)", reason = "FieldValueInvalid")
  @Default("10Gi")
  private String size = "10Gi";

  @JsonPropertyDescription("StorageClass of the claim; the cluster default when absent.")
  @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
  private String storageClassName;

  @JsonPropertyDescription("Keep the claims when the pipeline is deleted (the default, as Strimzi does; the MySQL"
      + " setting also keeps the generated credentials Secret, which a re-created pipeline of the same name reuses)."
      + " false deletes them with the pipeline.")
  @Default("true")
  private boolean retainOnDelete = true;

  public StorageSpec() {}

  public StorageSpec(String size) { this.size = size; }

  public String getSize() { return size; }
  public void setSize(String size) { this.size = size; }
  public String getStorageClassName() { return storageClassName; }
  public void setStorageClassName(String v) { storageClassName = v; }
  public boolean isRetainOnDelete() { return retainOnDelete; }
  public void setRetainOnDelete(boolean v) { retainOnDelete = v; }
}
