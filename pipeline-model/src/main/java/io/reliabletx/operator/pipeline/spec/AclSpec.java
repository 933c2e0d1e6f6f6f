package io.reliabletx.operator.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** RocketMQ's access control (ACL 2.0): who may publish and subscribe to what on the broker. */
public class AclSpec {
  @JsonPropertyDescription("Require every RocketMQ client of the broker to sign in, and allow each only what it needs:"
      + " the order service publishes the order topic and consumes the result topic, the stock service the reverse."
      + " The users and their passwords are generated into the pipeline's credentials Secret (rocketmq-* keys; with"
      + " mysql.existingSecret that Secret must hold them). Turning it on or off rolls the broker and the services.")
  @Default("true")
  private boolean enabled = true;

  public boolean isEnabled() { return enabled; }
  public void setEnabled(boolean v) { enabled = v; }
}
