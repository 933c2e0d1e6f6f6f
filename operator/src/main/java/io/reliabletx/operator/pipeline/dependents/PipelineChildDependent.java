package io.reliabletx.operator.pipeline.dependents;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.reliabletx.operator.pipeline.ReliableTxPipeline;
import java.net.HttpURLConnection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child of a pipeline. Its owner reference names the pipeline as its managing controller ({@code controller: true},
 * which {@code kubectl describe} shows as "Controlled By" and which stops another controller from adopting it) and
 * blocks the pipeline's foreground deletion until the child is gone. JOSDK's default reference carries neither.
 *
 * <p>A child is created with JOSDK's create-only server-side apply ({@code resourceVersion: "1"}), which the API
 * server refuses with 409 when the object exists. It does exist when this operator created it and the reconcile did not
 * know: the answer to the create was lost (the client retried a timed-out request that the API server had carried
 * out) or the object is missing from the informer (created without the label it selects on). A 409 on create is then
 * taken as "exists": the object is read, and when this pipeline controls it, it is what the reconcile goes on with
 * (applied again only if it is not what is wanted), instead of an error that marks the pipeline Failed and is retried
 * with backoff.
 *
 * <p>Each reconcile of a pipeline (one per event of any of its children) visits every child. The child is rendered once
 * per reconcile ({@link #desired}: JOSDK asks for it to find the child, to check readiness and to compare), and not at
 * all when neither the pipeline nor the child changed since the child last matched ({@link #match}): rendering and
 * the server-side-apply comparison were most of the operator's CPU.
 */
public abstract class PipelineChildDependent<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, ReliableTxPipeline> {

  /**
   * Kinds whose {@code metadata.generation} grows with every change of their spec (they have a status subresource).
   * Not NetworkPolicy: it is created with generation 1 and keeps it when its spec changes (measured on kube-apiserver
   * v1.34); ConfigMaps, Secrets and Services have none.
   */
  static final Set<Class<?>> GENERATION_FOLLOWS_SPEC =
      Set.of(StatefulSet.class, Deployment.class, Job.class, PodDisruptionBudget.class);
  /** More pipelines than this per operator only cost the extra renders: a bound, as deleted pipelines leave entries. */
  private static final int MAX_REMEMBERED = 4096;

  /** When the child last matched: the pipeline's spec version and the child's version then, and the child's id. */
  private record Matched(String pipelineVersion, ResourceID child, Object childVersion) {}

  /**
   * What the operator applies to a child of a kind whose generation follows its spec: the generation stands for the
   * spec; labels, annotations and owners do not change it. Its status is left out.
   */
  record AppliedVersion(String uid, Long generation, Map<String, String> labels, Map<String, String> annotations,
                        List<OwnerReference> owners, String deletionTimestamp) {
    static AppliedVersion of(HasMetadata child) {
      var meta = child.getMetadata();
      return new AppliedVersion(meta.getUid(), meta.getGeneration(), meta.getLabels(), meta.getAnnotations(),
          meta.getOwnerReferences(), meta.getDeletionTimestamp());
    }
  }

  /** By pipeline uid. */
  private final Map<String, Matched> lastMatched = Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Matched> eldest) {
          return size() > MAX_REMEMBERED;
        }
      });
  private final boolean generationFollowsSpec;

  protected PipelineChildDependent(Class<R> resourceType) {
    super(resourceType);
    this.generationFollowsSpec = GENERATION_FOLLOWS_SPEC.contains(resourceType);
  }

  /** The child as {@code primary} wants it: a pure function of the pipeline (pipeline-model). */
  protected abstract R render(ReliableTxPipeline primary);

  /** Rendered once per reconcile and kept in the reconcile's context (JOSDK itself keeps none between its calls). */
  @Override
  protected final R desired(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    var reconcileScope = context.managedWorkflowAndDependentResourceContext();
    @SuppressWarnings("unchecked")
    R desired = (R) reconcileScope.get(this, HasMetadata.class).orElse(null);
    if (desired == null) {
      desired = render(primary);
      reconcileScope.put(this, desired);
    }
    return desired;
  }

  /** The child's name as last matched while the pipeline is unchanged; else that of the rendered child. */
  @Override
  protected ResourceID targetSecondaryResourceID(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    Matched last = lastMatched.get(primary.getMetadata().getUid());
    if (last != null && last.pipelineVersion().equals(specVersion(primary))) {
      return last.child();
    }
    return super.targetSecondaryResourceID(primary, context);
  }

  /**
   * The child by its name from the informer's cache, if this pipeline owns it. JOSDK's default gathers all of the
   * pipeline's children of the kind into a set first, hashing each whole object (managed fields included) on every
   * call: 6 % of the operator's CPU at 50 pipelines.
   */
  @Override
  public Optional<R> getSecondaryResource(ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    ResourceID id = targetSecondaryResourceID(primary, context);
    return eventSource().flatMap(source -> source.get(id)).filter(child -> ownedBy(child, primary));
  }

  /** As JOSDK maps a child to its pipeline: by an owner reference of the pipeline's kind and name. */
  private static boolean ownedBy(HasMetadata child, ReliableTxPipeline primary) {
    return child.getMetadata().getOwnerReferences().stream().anyMatch(r ->
        primary.getKind().equals(r.getKind()) && primary.getMetadata().getName().equals(r.getName()));
  }

  /**
   * What the rendered children depend on: the pipeline's spec (its generation) and its identity, labels and
   * annotations. Not its resourceVersion, which each status write changes.
   */
  private static String specVersion(ReliableTxPipeline primary) {
    var meta = primary.getMetadata();
    return meta.getGeneration() + "/" + Objects.hash(meta.getLabels(), meta.getAnnotations());
  }

  /**
   * Matched without rendering or comparing when neither the pipeline (its spec) nor the child changed since
   * it last matched. The child's version is its resourceVersion, or for a kind whose generation follows its spec, its
   * generation with its labels, annotations and owners: its status changes (most of its events) then leave it matched.
   * Anything else changed (another writer's edit, a new spec) compares as JOSDK does.
   */
  @Override
  public Matcher.Result<R> match(R actual, ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    String pipelineVersion = specVersion(primary);
    Object childVersion = version(actual);
    Matched last = lastMatched.get(primary.getMetadata().getUid());
    if (last != null && last.pipelineVersion().equals(pipelineVersion) && last.childVersion().equals(childVersion)) {
      return Matcher.Result.nonComputed(true);
    }
    Matcher.Result<R> result = super.match(actual, primary, context);
    if (result.matched()) {
      lastMatched.put(primary.getMetadata().getUid(),
          new Matched(pipelineVersion, ResourceID.fromResource(actual), childVersion));
    }
    return result;
  }

  private Object version(R actual) {
    var meta = actual.getMetadata();
    if (generationFollowsSpec && meta.getGeneration() != null) {
      return AppliedVersion.of(actual);
    }
    return meta.getUid() + "/rv" + meta.getResourceVersion();
  }

  private static final Logger LOG = LoggerFactory.getLogger(PipelineChildDependent.class);

  @Override
  public R create(R desired, ReliableTxPipeline primary, Context<ReliableTxPipeline> context) {
    try {
      return super.create(desired, primary, context);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      desired.getMetadata().setResourceVersion(null);
      R existing = controlledBy(context.getClient().resource(desired).get(), primary);
      if (existing == null) {
        throw e;
      }
      LOG.debug("{} {}/{} exists already (create answered 409): taken as created", existing.getKind(),
          existing.getMetadata().getNamespace(), existing.getMetadata().getName());
      return match(existing, desired, primary, context).matched() ? existing : update(existing, desired, primary, context);
    }
  }

  /** {@code existing} if {@code primary} is its controller and it is not being deleted, else null. */
  static <T extends HasMetadata> T controlledBy(T existing, ReliableTxPipeline primary) {
    if (existing == null || existing.getMetadata().getDeletionTimestamp() != null) {
      return null;
    }
    boolean controlled = existing.getMetadata().getOwnerReferences().stream().anyMatch(r ->
        Boolean.TRUE.equals(r.getController()) && Objects.equals(r.getUid(), primary.getMetadata().getUid()));
    return controlled ? existing : null;
  }

  @Override
  protected void addReferenceHandlingMetadata(R desired, ReliableTxPipeline primary) {
    desired.getMetadata().setOwnerReferences(List.of(controllerReference(primary)));
  }

  static OwnerReference controllerReference(ReliableTxPipeline primary) {
    return new OwnerReferenceBuilder()
        .withApiVersion(primary.getApiVersion())
        .withKind(primary.getKind())
        .withName(primary.getMetadata().getName())
        .withUid(primary.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
