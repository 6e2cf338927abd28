package dev.mnode.index;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Which memories a recall may return. Empty sets and empty optionals do not filter.
 *
 * @param classes the memory's class is one of these
 * @param tags the memory carries every one of these tags
 * @param source the memory's source is this
 * @param since created at or after
 * @param until created before
 */
public record Filter(
    Set<String> classes, Set<String> tags, Optional<String> source, Optional<Instant> since, Optional<Instant> until) {
  public static final Filter NONE = new Filter(Set.of(), Set.of(), Optional.empty(), Optional.empty(), Optional.empty());

  public Filter {
    classes = Set.copyOf(classes);
    tags = Set.copyOf(tags);
  }

  /** Whether this filter lets everything through. */
  public boolean isNone() {
    return classes.isEmpty() && tags.isEmpty() && source.isEmpty() && since.isEmpty() && until.isEmpty();
  }

  /** Whether {@code m} passes. */
  public boolean matches(IndexedMemory m) {
    return (classes.isEmpty() || classes.contains(m.memoryClass()))
        && m.tags().containsAll(tags)
        && source.map(s -> s.equals(m.source())).orElse(true)
        && since.map(s -> !m.created().isBefore(s)).orElse(true)
        && until.map(u -> m.created().isBefore(u)).orElse(true);
  }
}
