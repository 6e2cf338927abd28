package dev.mnode.node.aging;

import dev.mnode.index.Fusion;
import dev.mnode.node.MemoryDraft;
import dev.mnode.node.MemoryPatch;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeException;
import dev.mnode.node.ProgressListener;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Plans and runs compaction. A memory is <em>old</em> when both its creation and its last use on
 * this device ({@link UseLog}) lie more than {@code archive_after_days} back; it is never old when
 * pinned or already archived.
 *
 * <ul>
 *   <li>Old memories with importance below {@code importance_floor} are archived: metadata {@value
 *       #ARCHIVED} = {@code "true"} (a user-visible state, so it syncs). Recall and list leave them
 *       out unless asked; get always returns them; clearing the key unarchives.
 *   <li>Old memories of one class whose vectors are near-duplicates ({@link Clusters}) form groups.
 *       With a summarize endpoint each group becomes one new memory of the same class (importance
 *       the highest of its sources, tags their union, links to every source), and its sources are
 *       archived. Groups never mix classes, so no summary carries one class's text into another.
 * </ul>
 *
 * At most {@value #MAX_GROUP_CANDIDATES} oldest memories per class are grouped per run (the
 * comparison is quadratic). Confined to the calling thread.
 */
public final class Compactor {
  /** Metadata key marking an archived memory. */
  public static final String ARCHIVED = "archived";
  /** Metadata key on a summary: how many memories it replaced. */
  public static final String SUMMARY_OF = "summary_of";
  /** Source of the memories compaction writes. */
  public static final String SOURCE = "mnode-compact";
  static final int MAX_GROUP_CANDIDATES = 2_000;

  /** Vectors of memories by id, from the recall index (embedding those it lacks). */
  @FunctionalInterface
  public interface Vectors {
    Map<String, float[]> of(Collection<String> ids) throws NodeException;
  }

  private final MemoryStore store;
  private final UseLog uses;
  private final AgingSettings settings;
  private final Clock clock;

  public Compactor(MemoryStore store, UseLog uses, AgingSettings settings, Clock clock) {
    this.store = store;
    this.uses = uses;
    this.settings = settings;
    this.clock = clock;
  }

  /** Whether {@code m} is archived. */
  public static boolean isArchived(Memory m) {
    return "true".equals(m.metadata().get(ARCHIVED));
  }

  /** Works out what compaction would do now, writing nothing. */
  public CompactReport plan(Vectors vectors, ProgressListener progress) throws NodeException {
    Instant now = clock.instant();
    Instant cutoff = now.minus(settings.archiveAfter());
    SortedMap<String, List<String>> archive = new TreeMap<>();
    Map<String, List<String>> old = new TreeMap<>();
    long total = store.counts().values().stream().mapToLong(Long::longValue).sum();
    long[] scanned = {0};
    long[] archivedBefore = {0};
    try {
      store.scan(Optional.empty(), m -> {
        if ((++scanned[0] & 1023) == 0) {
          progress.progress("scanning", scanned[0], total);
        }
        if (isArchived(m)) {
          archivedBefore[0]++;
          return true;
        }
        if (!m.pinned() && isOld(m, cutoff)) {
          String c = m.memoryClass().name();
          old.computeIfAbsent(c, x -> new ArrayList<>()).add(m.id().toString());
          if (m.importance() < settings.importanceFloor()) {
            archive.computeIfAbsent(c, x -> new ArrayList<>()).add(m.id().toString());
          }
        }
        return true;
      });
    } catch (StoreException e) {
      throw new NodeException(e.getMessage(), e);
    }
    progress.progress("scanning", scanned[0], total);
    List<CompactReport.Group> groups = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : old.entrySet()) {
      List<String> ids = new ArrayList<>(e.getValue());
      ids.sort(null); // ids are UUIDv7: oldest first
      if (ids.size() < 2) {
        continue;
      }
      List<String> candidates = ids.subList(0, Math.min(ids.size(), MAX_GROUP_CANDIDATES));
      Map<String, float[]> v = vectors.of(candidates);
      for (Clusters.Group g : Clusters.of(candidates, v, settings.clusterSimilarity())) {
        groups.add(new CompactReport.Group(e.getKey(), g.ids(), g.minSimilarity()));
      }
      progress.progress("grouping", groups.size(), groups.size());
    }
    List<Optional<String>> none = groups.stream().map(g -> Optional.<String>empty()).toList();
    return new CompactReport(
        true, now, scanned[0], archivedBefore[0], archive, groups,
        settings.summarize().map(s -> s.endpoint().toString()), none, List.of(), List.of());
  }

  private boolean isOld(Memory m, Instant cutoff) {
    Fusion.Use u = uses.use(m.id().toString());
    return m.created().isBefore(cutoff) && u.last().isBefore(cutoff);
  }

  /**
   * Carries out {@code plan} through {@code service}: summarizes each group with {@code
   * summarizer} (when not null) and archives its sources, then archives the rest, and drops the
   * uses of forgotten memories from the use log. A group whose summary fails is left as it is and
   * reported; the run goes on.
   */
  public CompactReport apply(
      CompactReport plan, MemoryService service, @Nullable Summarizer summarizer, ProgressListener progress)
      throws NodeException {
    List<Optional<String>> summaryIds = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    Set<String> done = new HashSet<>();
    int g = 0;
    for (CompactReport.Group group : plan.groups()) {
      progress.progress("summarizing", g++, plan.groups().size());
      if (summarizer == null) {
        summaryIds.add(Optional.empty());
        continue;
      }
      List<Memory> sources = new ArrayList<>();
      try {
        for (String id : group.ids()) {
          Optional<Memory> m = store.get(dev.mnode.store.MemoryId.parse(id));
          if (m.isPresent()) {
            sources.add(m.get());
          }
        }
      } catch (StoreException e) {
        throw new NodeException(e.getMessage(), e);
      }
      if (sources.size() < 2) { // forgotten since the plan
        summaryIds.add(Optional.empty());
        continue;
      }
      if (sources.stream().anyMatch(m -> !m.memoryClass().name().equals(group.memoryClass()))) {
        throw new IllegalStateException("a group mixes classes: " + group.ids());
      }
      String text;
      try {
        text = summarizer.summarize(group.memoryClass(), sources.stream().map(Memory::text).toList());
      } catch (NodeException e) {
        failures.add(group.ids().get(0) + " and " + (group.ids().size() - 1) + " more: " + e.getMessage());
        summaryIds.add(Optional.empty());
        continue;
      }
      Memory summary = service.remember(summaryDraft(group, sources, text), true).memory();
      for (Memory m : sources) {
        archive(service, m.id().toString());
        done.add(m.id().toString());
      }
      summaryIds.add(Optional.of(summary.id().toString()));
    }
    if (!plan.groups().isEmpty()) {
      progress.progress("summarizing", plan.groups().size(), plan.groups().size());
    }
    long n = 0;
    long total = plan.archiveCount();
    for (List<String> ids : plan.archive().values()) {
      for (String id : ids) {
        if (done.add(id)) {
          archive(service, id);
        }
        if ((++n & 255) == 0) {
          progress.progress("archiving", n, total);
        }
      }
    }
    progress.progress("archiving", n, total);
    forgetUsesOfForgotten();
    return new CompactReport(
        false, plan.now(), plan.scanned(), plan.alreadyArchived(), plan.archive(), plan.groups(), plan.summarize(),
        summaryIds, failures, List.of());
  }

  /** Drops use entries of memories no longer in the store, and saves the use log. */
  private void forgetUsesOfForgotten() throws NodeException {
    Set<String> live = new HashSet<>();
    try {
      store.scan(Optional.empty(), m -> live.add(m.id().toString()));
    } catch (StoreException e) {
      throw new NodeException(e.getMessage(), e);
    }
    uses.retainOnly(live);
    uses.flush();
  }

  private static void archive(MemoryService service, String id) throws NodeException {
    try {
      service.update(id, new MemoryPatch(null, null, null, null, null, null, Map.of(ARCHIVED, "true"), null));
    } catch (dev.mnode.node.NotFoundException gone) {
      // forgotten since the plan: nothing left to archive
    }
  }

  private static MemoryDraft summaryDraft(CompactReport.Group group, List<Memory> sources, String text) {
    Set<String> tags = new LinkedHashSet<>();
    double importance = 0;
    for (Memory m : sources) {
      for (String t : m.tags()) {
        if (tags.size() < Memory.MAX_TAGS) {
          tags.add(t);
        }
      }
      importance = Math.max(importance, m.importance());
    }
    return new MemoryDraft(
        text, group.memoryClass(), List.copyOf(tags), importance, SOURCE, false,
        Map.of(SUMMARY_OF, Integer.toString(sources.size())), sources.stream().map(m -> m.id().toString()).toList());
  }
}
