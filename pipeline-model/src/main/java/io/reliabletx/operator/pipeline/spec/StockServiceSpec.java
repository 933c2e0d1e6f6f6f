package io.reliabletx.operator.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The stock service: consumes the order topic (topic names come from {@link OrderServiceSpec}). */
public class StockServiceSpec extends PodSettings {
  public static final String DEFAULT_IMAGE = ReleaseImages.SAMPLE_STOCK;

  @JsonPropertyDescription("Stock service image.")
  @Default(DEFAULT_IMAGE)
  private String image = DEFAULT_IMAGE;

  @JsonPropertyDescription("Replicas of the stock service.")
  @Min(0) @Max(50)
  @Default("1")
  private int replicas = 1;

  @JsonPropertyDescription("Consumer group with which the stock service reads the order topic.")
  @Pattern(ServiceNames.ROCKETMQ_NAME) @Size(max = ServiceNames.MAX_LENGTH)
  @ValidationRule(value = ServiceNames.RESERVED_GROUP_RULE,
      message = "stock.consumerGroup " + ServiceNames.RESERVED_GROUP_MESSAGE, reason = "FieldValueForbidden")
  @Default("reliabletx-stock-consumer")
  private String consumerGroup = "reliabletx-stock-consumer";

  @JsonPropertyDescription("Producer group with which the stock service publishes outcomes to the result topic.")
  @Pattern(ServiceNames.ROCKETMQ_NAME) @Size(max = ServiceNames.MAX_LENGTH)
  @ValidationRule(value = ServiceNames.RESERVED_GROUP_RULE,
      message = "stock.resultProducerGroup " + ServiceNames.RESERVED_GROUP_MESSAGE, reason = "FieldValueForbidden")
  @Default("reliabletx-stock-result-producer")
  private String resultProducerGroup = "reliabletx-stock-result-producer";

  public String getImage() { return image; }
  public void setImage(String v) { image = v; }
  public int getReplicas() { return replicas; }
  public void setReplicas(int v) { replicas = v; }
  public String getConsumerGroup() { return consumerGroup; }
  public void setConsumerGroup(String v) { consumerGroup = v; }
  public String getResultProducerGroup() { return resultProducerGroup; }
  public void setResultProducerGroup(String v) { resultProducerGroup = v; }
}
