package io.reliabletx.operator.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** The MySQL server holding both services' databases. */
@ValidationRule(value = "has(self.existingSecret) == has(oldSelf.existingSecret)"
    + " && (!has(self.existingSecret) || self.existingSecret == oldSelf.existingSecret)",
    message = "mysql.existingSecret cannot be set, changed or removed on a live pipeline: MySQL's data directory keeps"
        + " the passwords it was initialised with, and another Secret's would be refused",
    fieldPath = ".existingSecret", reason = "FieldValueForbidden")
public class MysqlSpec extends PodSettings {
  public static final String DEFAULT_IMAGE = "mysql:8.4";

  @JsonPropertyDescription("MySQL image (its entrypoint runs /docker-entrypoint-initdb.d on first start).")
  @Default(DEFAULT_IMAGE)
  private String image = DEFAULT_IMAGE;

  @JsonPropertyDescription("Volume of the data directory.")
  @Default("{}")
  private StorageSpec storage = new StorageSpec("10Gi");

  @JsonPropertyDescription("Use this Secret instead of generating one. Keys: root-password, orders-username, orders-password,"
      + " stock-username, stock-password, console-password; with acl.enabled also rocketmq-admin-username,"
      + " rocketmq-admin-password, rocketmq-orders-username, rocketmq-orders-password, rocketmq-stock-username,"
      + " rocketmq-stock-password (letters and digits).")
  @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
  private String existingSecret;

  public String getImage() { return image; }
  public void setImage(String v) { image = v; }
  public StorageSpec getStorage() { return storage; }
  public void setStorage(StorageSpec v) { storage = v == null ? new StorageSpec("10Gi") : v; }
  public String getExistingSecret() { return existingSecret; }
  public void setExistingSecret(String v) { existingSecret = v; }
}
