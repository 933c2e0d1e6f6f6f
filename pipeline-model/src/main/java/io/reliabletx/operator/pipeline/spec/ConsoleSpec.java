package io.reliabletx.operator.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** The RocketMQ dashboard. */
public class ConsoleSpec extends PodSettings {
  public static final String DEFAULT_IMAGE = "apacherocketmq/rocketmq-dashboard:2.1.0";

  @JsonPropertyDescription("Run the console.")
  @Default("true")
  private boolean enabled = true;

  @JsonPropertyDescription("Console image.")
  @Default(DEFAULT_IMAGE)
  private String image = DEFAULT_IMAGE;

  @JsonPropertyDescription("Require a login (user admin, password in the generated credentials Secret, key console-password).")
  @Default("{}")
  private ConsoleAuthSpec auth = new ConsoleAuthSpec();

  public boolean isEnabled() { return enabled; }
  public void setEnabled(boolean v) { enabled = v; }
  public String getImage() { return image; }
  public void setImage(String v) { image = v; }
  public ConsoleAuthSpec getAuth() { return auth; }
  public void setAuth(ConsoleAuthSpec v) { auth = v == null ? new ConsoleAuthSpec() : v; }

  /** Console login. */
  public static class ConsoleAuthSpec {
    @JsonPropertyDescription("Require a login to the console.")
    @Default("true")
    private boolean enabled = true;

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean v) { enabled = v; }
  }
}
