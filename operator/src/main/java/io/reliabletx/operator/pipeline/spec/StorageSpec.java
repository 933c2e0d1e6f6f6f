package io.reliabletx.operator.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** A persistent volume claim template. */
public class StorageSpec {
  @JsonPropertyDescription("Requested size, a Kubernetes quantity such as 10Gi.")
  @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|K|M|G|T|P)?$")
  @Default("10Gi")
  private String size = "10Gi";

  @JsonPropertyDescription("StorageClass of the claim; the cluster default when absent.")
  private String storageClassName;

  @JsonPropertyDescription("Keep the claims when the pipeline is deleted (default: delete them with it).")
  @Default("false")
  private boolean retainOnDelete = false;

  public StorageSpec() {}

  public StorageSpec(String size) { this.size = size; }

  public String getSize() { return size; }
  public void setSize(String size) { this.size = size; }
  public String getStorageClassName() { return storageClassName; }
  public void setStorageClassName(String v) { storageClassName = v; }
  public boolean isRetainOnDelete() { return retainOnDelete; }
  public void setRetainOnDelete(boolean v) { retainOnDelete = v; }
}
