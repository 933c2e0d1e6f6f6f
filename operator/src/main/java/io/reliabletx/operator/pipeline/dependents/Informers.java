package io.reliabletx.operator.pipeline.dependents;

/**
 * One informer per kind of child, shared by every dependent of that kind (named here; the first dependent of each kind
 * declares it, the others use it by name in the workflow). Each dependent still finds its own object by name.
 */
public final class Informers {
  public static final String STATEFULSETS = "statefulsets";
  public static final String DEPLOYMENTS = "deployments";
  public static final String SERVICES = "services";
  public static final String CONFIGMAPS = "configmaps";
  public static final String JOBS = "jobs";
  public static final String SECRETS = "secrets";

  private Informers() {}
}
