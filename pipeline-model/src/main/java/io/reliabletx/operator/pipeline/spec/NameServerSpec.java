package io.reliabletx.operator.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** RocketMQ NameServer StatefulSet. */
@ValidationRule(value = Heap.BELOW_MEMORY_LIMIT_RULE, message = "nameServer." + Heap.BELOW_MEMORY_LIMIT_MESSAGE,
    fieldPath = ".heapSize", reason = "FieldValueInvalid")
public class NameServerSpec extends PodSettings {
  public static final String DEFAULT_IMAGE = "apache/rocketmq:5.3.3";

  @JsonPropertyDescription("RocketMQ image running `sh mqnamesrv`.")
  @Default(DEFAULT_IMAGE)
  private String image = DEFAULT_IMAGE;

  @JsonPropertyDescription("Number of NameServers; the broker registers with each of them.")
  @Min(1) @Max(5)
  @Default("1")
  private int replicas = 1;

  @JsonPropertyDescription("JVM heap (-Xms/-Xmx), e.g. 256m or 1g.")
  @ValidationRule(value = Heap.PATTERN_RULE, message = "nameServer." + Heap.PATTERN_MESSAGE, reason = "FieldValueInvalid")
  @Size(max = 8)
  @Default("256m")
  private String heapSize = "256m";

  public String getImage() { return image; }
  public void setImage(String image) { this.image = image; }
  public int getReplicas() { return replicas; }
  public void setReplicas(int replicas) { this.replicas = replicas; }
  public String getHeapSize() { return heapSize; }
  public void setHeapSize(String heapSize) { this.heapSize = heapSize; }
}
