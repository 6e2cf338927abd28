package dev.mnode.crdt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * An edit of a memory's fields ({@link MemoryDoc#update}), built with {@link #at(Instant)}. A null
 * scalar leaves that field as it is. Tags and links are sets: give either the whole new set
 * ({@code tags}, {@code links}) or what to add and remove, not both; a removal removes only what
 * the editing device has seen, so a concurrent addition elsewhere survives. Metadata is merged per
 * key: {@code putMetadata} sets keys, {@code removeMetadata} removes them. {@code updated} is the
 * edit's time; the document stores it only if the edit changes something. Immutable.
 */
public record MemoryEdit(
    Instant updated,
    @Nullable String text,
    @Nullable String memoryClass,
    @Nullable Double importance,
    @Nullable String source,
    @Nullable Boolean pinned,
    @Nullable List<String> tags,
    List<String> addTags,
    List<String> removeTags,
    SortedMap<String, String> putMetadata,
    List<String> removeMetadata,
    @Nullable List<String> links,
    List<String> addLinks,
    List<String> removeLinks) {

  /**
   * Checks every value given, as {@link MemoryFields} does, and copies the collections sorted.
   *
   * @throws IllegalArgumentException naming the first bad value or contradiction
   */
  public MemoryEdit {
    Objects.requireNonNull(updated, "updated");
    if (text != null) {
      text = Checks.text(text);
    }
    if (memoryClass != null) {
      memoryClass = Checks.memoryClass(memoryClass);
    }
    if (importance != null) {
      importance = Checks.importance(importance);
    }
    if (source != null) {
      source = Checks.source(source);
    }
    tags = tags == null ? null : Checks.tags(tags);
    addTags = Checks.tags(addTags);
    removeTags = Checks.tags(removeTags);
    Checks.require(
        tags == null || (addTags.isEmpty() && removeTags.isEmpty()),
        "give either the whole set of tags or tags to add and remove, not both");
    Checks.require(disjoint(addTags, removeTags), "a tag is both added and removed");
    putMetadata = Checks.metadata(putMetadata);
    removeMetadata = List.copyOf(new TreeSet<>(removeMetadata));
    for (String k : removeMetadata) {
      Checks.metadataKey(k);
    }
    Checks.require(disjoint(putMetadata.keySet(), removeMetadata), "a metadata key is both set and removed");
    links = links == null ? null : Checks.links(links);
    addLinks = Checks.links(addLinks);
    removeLinks = Checks.links(removeLinks);
    Checks.require(
        links == null || (addLinks.isEmpty() && removeLinks.isEmpty()),
        "give either the whole set of links or links to add and remove, not both");
    Checks.require(disjoint(addLinks, removeLinks), "a link is both added and removed");
  }

  /** Returns a builder for an edit made at {@code updated}. */
  public static Builder at(Instant updated) {
    return new Builder(updated);
  }

  /** Returns whether the edit names no field at all. */
  public boolean isEmpty() {
    return text == null
        && memoryClass == null
        && importance == null
        && source == null
        && pinned == null
        && tags == null
        && addTags.isEmpty()
        && removeTags.isEmpty()
        && putMetadata.isEmpty()
        && removeMetadata.isEmpty()
        && links == null
        && addLinks.isEmpty()
        && removeLinks.isEmpty();
  }

  private static boolean disjoint(Collection<String> a, Collection<String> b) {
    Set<String> s = new HashSet<>(a);
    for (String x : b) {
      if (s.contains(x)) {
        return false;
      }
    }
    return true;
  }

  /** Mutable staging for a {@link MemoryEdit}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private final Instant updated;
    private @Nullable String text;
    private @Nullable String memoryClass;
    private @Nullable Double importance;
    private @Nullable String source;
    private @Nullable Boolean pinned;
    private @Nullable List<String> tags;
    private final List<String> addTags = new ArrayList<>();
    private final List<String> removeTags = new ArrayList<>();
    private final SortedMap<String, String> putMetadata = new TreeMap<>();
    private final List<String> removeMetadata = new ArrayList<>();
    private @Nullable List<String> links;
    private final List<String> addLinks = new ArrayList<>();
    private final List<String> removeLinks = new ArrayList<>();

    private Builder(Instant updated) {
      this.updated = updated;
    }

    public Builder text(String v) {
      text = v;
      return this;
    }

    public Builder memoryClass(String v) {
      memoryClass = v;
      return this;
    }

    public Builder importance(double v) {
      importance = v;
      return this;
    }

    public Builder source(String v) {
      source = v;
      return this;
    }

    public Builder pinned(boolean v) {
      pinned = v;
      return this;
    }

    /** Replaces the whole set of tags. */
    public Builder tags(Collection<String> v) {
      tags = new ArrayList<>(v);
      return this;
    }

    public Builder addTag(String tag) {
      addTags.add(tag);
      return this;
    }

    public Builder removeTag(String tag) {
      removeTags.add(tag);
      return this;
    }

    public Builder putMetadata(String key, String value) {
      putMetadata.put(key, value);
      return this;
    }

    public Builder putMetadata(Map<String, String> entries) {
      putMetadata.putAll(entries);
      return this;
    }

    public Builder removeMetadata(String key) {
      removeMetadata.add(key);
      return this;
    }

    /** Replaces the whole set of links. */
    public Builder links(Collection<String> v) {
      links = new ArrayList<>(v);
      return this;
    }

    public Builder addLink(String id) {
      addLinks.add(id);
      return this;
    }

    public Builder removeLink(String id) {
      removeLinks.add(id);
      return this;
    }

    /**
     * Returns the validated edit.
     *
     * @throws IllegalArgumentException naming the first value that breaks a limit, or a
     *     contradiction (a tag both added and removed, a whole set together with additions)
     */
    public MemoryEdit build() {
      return new MemoryEdit(
          updated, text, memoryClass, importance, source, pinned, tags, addTags, removeTags,
          putMetadata, removeMetadata, links, addLinks, removeLinks);
    }
  }
}
