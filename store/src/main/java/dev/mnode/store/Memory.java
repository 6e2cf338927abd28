package dev.mnode.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One memory: a short text an AI tool or the user wants kept, with its class, tags, importance,
 * source, times, pin, metadata and links to related memories. Immutable; every field is validated
 * against the limits below and every collection is an unmodifiable copy (tags and links keep their
 * order without duplicates, metadata is sorted by key).
 */
public record Memory(
    MemoryId id,
    String text,
    MemoryClass memoryClass,
    List<String> tags,
    double importance,
    String source,
    Instant created,
    Instant updated,
    boolean pinned,
    SortedMap<String, String> metadata,
    List<MemoryId> links) {

  /** Largest text, in UTF-8 bytes. */
  public static final int MAX_TEXT_BYTES = 64 * 1024;
  public static final int MAX_TAGS = 64;
  public static final int MAX_TAG_CHARS = 64;
  public static final int MAX_SOURCE_CHARS = 256;
  public static final int MAX_METADATA_ENTRIES = 64;
  public static final int MAX_METADATA_KEY_CHARS = 128;
  public static final int MAX_METADATA_VALUE_CHARS = 4096;
  public static final int MAX_LINKS = 256;
  /** Importance given when none is: neither high nor low. */
  public static final double DEFAULT_IMPORTANCE = 0.5;

  public Memory {
    require(id != null, "id is missing");
    require(text != null && !text.isBlank(), "text is empty");
    int textBytes = text.getBytes(StandardCharsets.UTF_8).length;
    require(
        textBytes <= MAX_TEXT_BYTES,
        "text is " + textBytes + " bytes; the limit is " + MAX_TEXT_BYTES + " (64 KiB)");
    require(memoryClass != null, "class is missing");
    tags = List.copyOf(new LinkedHashSet<>(tags == null ? List.of() : tags));
    require(tags.size() <= MAX_TAGS, "too many tags: " + tags.size() + " (limit " + MAX_TAGS + ")");
    for (String t : tags) {
      require(t != null && !t.isBlank(), "a tag is empty");
      require(t.length() <= MAX_TAG_CHARS, "tag longer than " + MAX_TAG_CHARS + " characters");
      require(t.strip().equals(t), "tag \"" + t + "\" has leading or trailing spaces");
      require(noControl(t), "tag contains a control character");
    }
    require(
        !Double.isNaN(importance) && importance >= 0.0 && importance <= 1.0,
        "importance must be between 0 and 1: " + importance);
    require(source != null, "source is missing");
    require(source.length() <= MAX_SOURCE_CHARS, "source longer than " + MAX_SOURCE_CHARS);
    require(noControl(source), "source contains a control character");
    require(created != null && updated != null, "created and updated times are required");
    require(!updated.isBefore(created), "updated " + updated + " is before created " + created);
    metadata =
        Collections.unmodifiableSortedMap(new TreeMap<>(metadata == null ? Map.of() : metadata));
    require(
        metadata.size() <= MAX_METADATA_ENTRIES,
        "too many metadata entries: " + metadata.size() + " (limit " + MAX_METADATA_ENTRIES + ")");
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      require(e.getKey() != null && !e.getKey().isEmpty(), "a metadata key is empty");
      require(e.getValue() != null, "metadata value of \"" + e.getKey() + "\" is missing");
      require(
          e.getKey().length() <= MAX_METADATA_KEY_CHARS,
          "metadata key longer than " + MAX_METADATA_KEY_CHARS);
      require(
          e.getValue().length() <= MAX_METADATA_VALUE_CHARS,
          "metadata value longer than " + MAX_METADATA_VALUE_CHARS);
    }
    links = List.copyOf(new LinkedHashSet<>(links == null ? List.of() : links));
    require(links.size() <= MAX_LINKS, "too many links: " + links.size());
    require(!links.contains(id), "a memory cannot link to itself");
  }

  /** Returns a builder with every field of this memory. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Returns a builder for a new memory with {@code id} and {@code text}, created at {@code now}. */
  public static Builder builder(MemoryId id, String text, Instant now) {
    return new Builder(id, text, now);
  }

  private static boolean noControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Mutable staging for a {@link Memory}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private MemoryId id;
    private String text;
    private MemoryClass memoryClass = MemoryClass.OTHER;
    private List<String> tags = new ArrayList<>();
    private double importance = DEFAULT_IMPORTANCE;
    private String source = "";
    private Instant created;
    private Instant updated;
    private boolean pinned;
    private SortedMap<String, String> metadata = new TreeMap<>();
    private List<MemoryId> links = new ArrayList<>();

    private Builder(MemoryId id, String text, Instant now) {
      this.id = id;
      this.text = text;
      this.created = now;
      this.updated = now;
    }

    private Builder(Memory m) {
      id = m.id;
      text = m.text;
      memoryClass = m.memoryClass;
      tags = new ArrayList<>(m.tags);
      importance = m.importance;
      source = m.source;
      created = m.created;
      updated = m.updated;
      pinned = m.pinned;
      metadata = new TreeMap<>(m.metadata);
      links = new ArrayList<>(m.links);
    }

    public Builder text(String v) {
      text = v;
      return this;
    }

    public Builder memoryClass(MemoryClass v) {
      memoryClass = v;
      return this;
    }

    public Builder tags(List<String> v) {
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

    public Builder created(Instant v) {
      created = v;
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

    public Builder links(List<MemoryId> v) {
      links = new ArrayList<>(v);
      return this;
    }

    public Memory build() {
      return new Memory(
          id, text, memoryClass, tags, importance, source, created, updated, pinned, metadata,
          links);
    }
  }
}
