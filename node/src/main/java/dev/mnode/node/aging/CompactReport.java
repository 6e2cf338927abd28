package dev.mnode.node.aging;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What {@code mnode compact} did, or with {@code dryRun} would do.
 *
 * @param dryRun nothing was written
 * @param now the time aging was judged at
 * @param scanned memories looked at
 * @param alreadyArchived memories archived before this run (left as they are)
 * @param archive ids archived (or to archive) because they are old and unimportant, per class
 * @param groups near-duplicate groups among old memories, per class; summarized when {@code summaryIds} says so
 * @param summarize the endpoint summaries come from, or empty when none is configured (then nothing is summarized)
 * @param summaryIds per group (same order), the id of the summary written, or empty in a dry run, without an
 *     endpoint, or when that group's summary failed
 * @param failures one line per group whose summary failed
 * @param sealed classes whose forgotten memories compaction made final (empty for a dry run)
 */
public record CompactReport(
    boolean dryRun,
    Instant now,
    long scanned,
    long alreadyArchived,
    SortedMap<String, List<String>> archive,
    List<Group> groups,
    Optional<String> summarize,
    List<Optional<String>> summaryIds,
    List<String> failures,
    List<Sealed> sealed) {
  public CompactReport {
    sealed = List.copyOf(sealed);
    TreeMap<String, List<String>> a = new TreeMap<>();
    archive.forEach((c, ids) -> a.put(c, List.copyOf(ids)));
    archive = java.util.Collections.unmodifiableSortedMap(a);
    groups = List.copyOf(groups);
    summaryIds = List.copyOf(summaryIds);
    failures = List.copyOf(failures);
  }

  /**
   * A class re-sealed under a new epoch so that its forgotten memories are gone for good: the
   * snapshot's parts, the kept bundles it let go and the older epoch keys erased on this device.
   */
  public record Sealed(String memoryClass, int epoch, int parts, int droppedBundles, int retiredKeys) {}

  /** This report with {@code sealed} as the classes compaction re-sealed. */
  public CompactReport withSealed(List<Sealed> sealed) {
    return new CompactReport(dryRun, now, scanned, alreadyArchived, archive, groups, summarize, summaryIds, failures, sealed);
  }

  /** One group of near-duplicates of class {@code memoryClass}. */
  public record Group(String memoryClass, List<String> ids, double minSimilarity) {
    public Group {
      ids = List.copyOf(ids);
    }
  }

  /** Number of memories archived (or to archive) for age and low importance. */
  public long archiveCount() {
    return archive.values().stream().mapToLong(List::size).sum();
  }
}
