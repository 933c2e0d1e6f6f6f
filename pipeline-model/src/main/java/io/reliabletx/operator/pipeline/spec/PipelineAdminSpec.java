package io.reliabletx.operator.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/**
 * reliable-tx's admin program: the topics Job runs it, and with the ACL on so does the broker pods' init container
 * that writes their private broker.conf. It reads every secret from env itself, so none is on a command line.
 */
public class PipelineAdminSpec {
  @JsonPropertyDescription("Image of reliable-tx's admin program (pipeline-admin): creates the topics, the services'"
      + " RocketMQ users and their policies (the topics Job), and writes the broker's private broker.conf with the super"
      + " user from the credentials Secret (the broker pods' init container, with the ACL on).")
  @Default(ReleaseImages.PIPELINE_ADMIN)
  private String image = ReleaseImages.PIPELINE_ADMIN;

  public String getImage() { return image; }
  public void setImage(String v) { image = v; }
}
