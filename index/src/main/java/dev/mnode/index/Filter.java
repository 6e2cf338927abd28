package dev.mnode.index;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Which memories a recall may return. Empty sets and empty optionals do not filter; archived
 * memories pass only when {@code archived} says so.
 *
 * @param classes the memory's class is one of these
 * @param tags the memory carries every one of these tags
 * @param source the memory's source is this
 * @param since created at or after
 * @param until created before
 * @param archived archived memories pass too (else they are left out)
 */
public record Filter(
    Set<String> classes, Set<String> tags, Optional<String> source, Optional<Instant> since, Optional<Instant> until,
    boolean archived) {
  /** Lets every memory through, archived ones too. */
  public static final Filter NONE =
      new Filter(Set.of(), Set.of(), Optional.empty(), Optional.empty(), Optional.empty(), true);

  /** A filter that leaves archived memories out. */
  public Filter(
      Set<String> classes, Set<String> tags, Optional<String> source, Optional<Instant> since, Optional<Instant> until) {
    this(classes, tags, source, since, until, false);
  }

  public Filter {
    classes = Set.copyOf(classes);
    tags = Set.copyOf(tags);
  }

  /** This filter, leaving archived memories out. */
  public Filter withoutArchived() {
    return new Filter(classes, tags, source, since, until, false);
  }

  /** Whether this filter lets everything through, archived memories too. */
  public boolean isNone() {
    return archived && filtersNoFacts();
  }

  /** Whether this filter looks at nothing but the archived flag. */
  boolean filtersNoFacts() {
    return classes.isEmpty() && tags.isEmpty() && source.isEmpty() && since.isEmpty() && until.isEmpty();
  }

  /** Whether {@code m} passes. */
  public boolean matches(IndexedMemory m) {
    return (archived || !m.archived())
        && (classes.isEmpty() || classes.contains(m.memoryClass()))
        && m.tags().containsAll(tags)
        && source.map(s -> s.equals(m.source())).orElse(true)
        && since.map(s -> !m.created().isBefore(s)).orElse(true)
        && until.map(u -> m.created().isBefore(u)).orElse(true);
  }
}
