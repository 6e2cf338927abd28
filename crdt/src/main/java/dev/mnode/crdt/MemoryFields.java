package dev.mnode.crdt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The fields a new memory document starts with ({@link MemoryDoc#create}). Every value is checked
 * against the limits below, which are those of the store's {@code Memory} record (keep them in
 * step); tags and links are kept sorted without duplicates, metadata sorted by key. Immutable.
 *
 * <p>The limits bind what one device writes. A merge of concurrent additions on several devices
 * can exceed the count limits ({@link #MAX_TAGS}, {@link #MAX_METADATA_ENTRIES}, {@link
 * #MAX_LINKS}); {@link MemoryState} accepts that, and the node decides what to show.
 */
public record MemoryFields(
    String text,
    String memoryClass,
    List<String> tags,
    double importance,
    String source,
    Instant created,
    Instant updated,
    boolean pinned,
    SortedMap<String, String> metadata,
    List<String> links) {

  /** Largest text, in UTF-8 bytes. */
  public static final int MAX_TEXT_BYTES = 64 * 1024;
  public static final int MAX_TAGS = 64;
  public static final int MAX_TAG_CHARS = 64;
  public static final int MAX_SOURCE_CHARS = 256;
  public static final int MAX_METADATA_ENTRIES = 64;
  public static final int MAX_METADATA_KEY_CHARS = 128;
  public static final int MAX_METADATA_VALUE_CHARS = 4096;
  public static final int MAX_LINKS = 256;
  /** Longest memory id (and link): printable ASCII, such as a UUID's 36 characters. */
  public static final int MAX_ID_CHARS = 64;
  /** Importance given when none is: neither high nor low. */
  public static final double DEFAULT_IMPORTANCE = 0.5;
  /** Class given when none is. */
  public static final String DEFAULT_CLASS = "other";

  /**
   * Checks every value against the limits above and copies the collections sorted.
   *
   * @throws IllegalArgumentException naming the first value that breaks a limit
   */
  public MemoryFields {
    text = Checks.text(text);
    memoryClass = Checks.memoryClass(memoryClass);
    tags = Checks.tags(tags);
    Checks.require(tags.size() <= MAX_TAGS, "too many tags: " + tags.size() + " (limit " + MAX_TAGS + ")");
    importance = Checks.importance(importance);
    source = Checks.source(source);
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(updated, "updated");
    Checks.require(!updated.isBefore(created), "updated " + updated + " is before created " + created);
    metadata = Checks.metadata(metadata);
    Checks.require(
        metadata.size() <= MAX_METADATA_ENTRIES,
        "too many metadata entries: " + metadata.size() + " (limit " + MAX_METADATA_ENTRIES + ")");
    links = Checks.links(links);
    Checks.require(links.size() <= MAX_LINKS, "too many links: " + links.size() + " (limit " + MAX_LINKS + ")");
  }

  /**
   * Returns a builder for a memory with {@code text} created (and updated) at {@code created}, in
   * class {@value #DEFAULT_CLASS}, importance {@value #DEFAULT_IMPORTANCE}, empty source, no tags,
   * metadata or links, not pinned.
   */
  public static Builder builder(String text, Instant created) {
    return new Builder(text, created);
  }

  /** Mutable staging for {@link MemoryFields}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private String text;
    private String memoryClass = DEFAULT_CLASS;
    private List<String> tags = new ArrayList<>();
    private double importance = DEFAULT_IMPORTANCE;
    private String source = "";
    private Instant created;
    private Instant updated;
    private boolean pinned;
    private SortedMap<String, String> metadata = new TreeMap<>();
    private List<String> links = new ArrayList<>();

    private Builder(String text, Instant created) {
      this.text = text;
      this.created = created;
      this.updated = created;
    }

    public Builder text(String v) {
      text = v;
      return this;
    }

    public Builder memoryClass(String v) {
      memoryClass = v;
      return this;
    }

    public Builder tags(Collection<String> v) {
      tags = new ArrayList<>(v);
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

    public Builder updated(Instant v) {
      updated = v;
      return this;
    }

    public Builder pinned(boolean v) {
      pinned = v;
      return this;
    }

    public Builder metadata(Map<String, String> v) {
      metadata = new TreeMap<>(v);
      return this;
    }

    public Builder links(Collection<String> v) {
      links = new ArrayList<>(v);
      return this;
    }

    /**
     * Returns the validated fields.
     *
     * @throws IllegalArgumentException naming the first value that breaks a limit
     */
    public MemoryFields build() {
      return new MemoryFields(text, memoryClass, tags, importance, source, created, updated, pinned, metadata, links);
    }
  }
}
