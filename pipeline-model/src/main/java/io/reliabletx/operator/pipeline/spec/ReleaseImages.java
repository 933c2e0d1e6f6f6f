package io.reliabletx.operator.pipeline.spec;

/**
 * Where a release publishes the project's images and under which tag: the defaults of {@code spec.order.image},
 * {@code spec.stock.image} and {@code spec.pipelineAdmin.image}. Compile-time constants, because the CRD's defaults are generated from them. The same
 * facts live in the root pom ({@code reliabletx.image.registry}, the project version) and the chart
 * ({@code appVersion}, {@code image.repository}); the helm module's {@code ReleaseVersionTest} fails when they differ.
 */
public final class ReleaseImages {
  /** Registry and namespace of the released images (the release workflow pushes there). */
  public static final String REGISTRY = "ghcr.io/reliable-tx";
  /** The release's version: the chart's appVersion, the images' tag. */
  public static final String VERSION = "0.1.0";

  public static final String SAMPLE_ORDER = REGISTRY + "/sample-order:" + VERSION;
  public static final String SAMPLE_STOCK = REGISTRY + "/sample-stock:" + VERSION;
  /** The pipeline's admin program (module pipeline-admin): the topics Job and the broker's private config. */
  public static final String PIPELINE_ADMIN = REGISTRY + "/pipeline-admin:" + VERSION;

  private ReleaseImages() {
  }
}
