package io.reliabletx.operator.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The order service: sends half messages to the topic and reads the stock service's results. */
@ValidationRule(value = "self.topic != self.resultTopic", message = "order.topic and order.resultTopic must differ",
    reason = "FieldValueInvalid")
public class OrderServiceSpec extends PodSettings {
  public static final String DEFAULT_IMAGE = ReleaseImages.SAMPLE_ORDER;

  @JsonPropertyDescription("Order service image.")
  @Default(DEFAULT_IMAGE)
  private String image = DEFAULT_IMAGE;

  @JsonPropertyDescription("Replicas of the order service.")
  @Min(0) @Max(50)
  @Default("1")
  private int replicas = 1;

  @JsonPropertyDescription("Transactional topic (created as message.type=TRANSACTION).")
  @Pattern(ServiceNames.ROCKETMQ_NAME) @Size(max = ServiceNames.MAX_LENGTH)
  @ValidationRule(value = ServiceNames.RESERVED_TOPIC_RULE, message = "order.topic " + ServiceNames.RESERVED_TOPIC_MESSAGE,
      reason = "FieldValueForbidden")
  @Default("reliabletx-orders")
  private String topic = "reliabletx-orders";

  @JsonPropertyDescription("Topic of the stock service's results (created as message.type=NORMAL).")
  @Pattern(ServiceNames.ROCKETMQ_NAME) @Size(max = ServiceNames.MAX_LENGTH)
  @ValidationRule(value = ServiceNames.RESERVED_TOPIC_RULE,
      message = "order.resultTopic " + ServiceNames.RESERVED_TOPIC_MESSAGE, reason = "FieldValueForbidden")
  @Default("reliabletx-order-results")
  private String resultTopic = "reliabletx-order-results";

  @JsonPropertyDescription("Transactional producer group of the order service.")
  @Pattern(ServiceNames.ROCKETMQ_NAME) @Size(max = ServiceNames.MAX_LENGTH)
  @ValidationRule(value = ServiceNames.RESERVED_GROUP_RULE,
      message = "order.producerGroup " + ServiceNames.RESERVED_GROUP_MESSAGE, reason = "FieldValueForbidden")
  @Default("reliabletx-order-producer")
  private String producerGroup = "reliabletx-order-producer";

  @JsonPropertyDescription("Consumer group with which the order service reads the result topic.")
  @Pattern(ServiceNames.ROCKETMQ_NAME) @Size(max = ServiceNames.MAX_LENGTH)
  @ValidationRule(value = ServiceNames.RESERVED_GROUP_RULE,
      message = "order.resultConsumerGroup " + ServiceNames.RESERVED_GROUP_MESSAGE, reason = "FieldValueForbidden")
  @Default("reliabletx-order-result-consumer")
  private String resultConsumerGroup = "reliabletx-order-result-consumer";

  public String getImage() { return image; }
  public void setImage(String v) { image = v; }
  public int getReplicas() { return replicas; }
  public void setReplicas(int v) { replicas = v; }
  public String getTopic() { return topic; }
  public void setTopic(String v) { topic = v; }
  public String getResultTopic() { return resultTopic; }
  public void setResultTopic(String v) { resultTopic = v; }
  public String getProducerGroup() { return producerGroup; }
  public void setProducerGroup(String v) { producerGroup = v; }
  public String getResultConsumerGroup() { return resultConsumerGroup; }
  public void setResultConsumerGroup(String v) { resultConsumerGroup = v; }
}
