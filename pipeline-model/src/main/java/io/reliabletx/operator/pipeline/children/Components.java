package io.reliabletx.operator.pipeline.children;

/** Component names: the app.kubernetes.io/component label and the status condition types. */
public final class Components {
  public static final String NAME_SERVER = "NameServer";
  public static final String BROKER = "Broker";
  public static final String TOPICS = "Topics";
  public static final String CONSOLE = "Console";
  public static final String MYSQL = "MySQL";
  public static final String ORDER = "OrderService";
  public static final String STOCK = "StockService";

  private Components() {}

  static String label(String component) {
    return component.toLowerCase();
  }
}
