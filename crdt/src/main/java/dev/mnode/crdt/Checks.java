package dev.mnode.crdt;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Validation of single memory values against the limits in {@link MemoryFields}. Stateless. */
final class Checks {
  private static final Pattern CLASS_NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

  private Checks() {}

  static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  static String memoryId(String id, String what) {
    Objects.requireNonNull(id, what);
    require(
        !id.isEmpty() && id.length() <= MemoryFields.MAX_ID_CHARS,
        what + " must have 1 to " + MemoryFields.MAX_ID_CHARS + " characters");
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      require(c > 0x20 && c < 0x7f, what + " \"" + shorten(id) + "\" has a character other than printable ASCII");
    }
    return id;
  }

  /** An author id: 1 to {@link VersionVector#MAX_AUTHOR_CHARS} printable ASCII characters. */
  static String author(String author) {
    Objects.requireNonNull(author, "author");
    require(
        !author.isEmpty() && author.length() <= VersionVector.MAX_AUTHOR_CHARS,
        "an author id has 1 to " + VersionVector.MAX_AUTHOR_CHARS + " characters, not " + author.length());
    for (int i = 0; i < author.length(); i++) {
      char c = author.charAt(i);
      require(c > 0x20 && c < 0x7f, "author \"" + shorten(author) + "\" has a character other than printable ASCII");
    }
    return author;
  }

  static String text(String text) {
    Objects.requireNonNull(text, "text");
    require(!text.isBlank(), "text is empty");
    require(wellFormed(text), "text has an unpaired surrogate");
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    require(
        bytes <= MemoryFields.MAX_TEXT_BYTES,
        "text is " + bytes + " bytes; the limit is " + MemoryFields.MAX_TEXT_BYTES + " (64 KiB)");
    return text;
  }

  static String memoryClass(String name) {
    Objects.requireNonNull(name, "class");
    require(
        CLASS_NAME.matcher(name).matches(),
        "invalid class name \"" + shorten(name) + "\": use lowercase letters, digits and '-', starting with a letter, at most 32");
    return name;
  }

  static String tag(String tag) {
    Objects.requireNonNull(tag, "tag");
    require(!tag.isBlank(), "a tag is empty");
    require(tag.length() <= MemoryFields.MAX_TAG_CHARS, "tag longer than " + MemoryFields.MAX_TAG_CHARS + " characters");
    require(tag.strip().equals(tag), "tag \"" + shorten(tag) + "\" has leading or trailing spaces");
    require(noControl(tag), "tag contains a control character");
    require(wellFormed(tag), "tag has an unpaired surrogate");
    return tag;
  }

  static double importance(double importance) {
    require(
        !Double.isNaN(importance) && importance >= 0.0 && importance <= 1.0,
        "importance must be between 0 and 1: " + importance);
    return importance == 0.0 ? 0.0 : importance; // no -0.0
  }

  static String source(String source) {
    Objects.requireNonNull(source, "source");
    require(source.length() <= MemoryFields.MAX_SOURCE_CHARS, "source longer than " + MemoryFields.MAX_SOURCE_CHARS);
    require(noControl(source), "source contains a control character");
    require(wellFormed(source), "source has an unpaired surrogate");
    return source;
  }

  static String metadataKey(String key) {
    Objects.requireNonNull(key, "metadata key");
    require(!key.isEmpty(), "a metadata key is empty");
    require(
        key.length() <= MemoryFields.MAX_METADATA_KEY_CHARS,
        "metadata key longer than " + MemoryFields.MAX_METADATA_KEY_CHARS);
    require(wellFormed(key), "metadata key has an unpaired surrogate");
    return key;
  }

  static String metadataValue(String key, String value) {
    Objects.requireNonNull(value, "metadata value of " + key);
    require(
        value.length() <= MemoryFields.MAX_METADATA_VALUE_CHARS,
        "metadata value of \"" + shorten(key) + "\" longer than " + MemoryFields.MAX_METADATA_VALUE_CHARS);
    require(wellFormed(value), "metadata value of \"" + shorten(key) + "\" has an unpaired surrogate");
    return value;
  }

  /** Checks every tag and returns them sorted, without duplicates, unmodifiable. */
  static List<String> tags(Collection<String> tags) {
    TreeSet<String> sorted = new TreeSet<>();
    for (String t : Objects.requireNonNull(tags, "tags")) {
      sorted.add(tag(t));
    }
    return List.copyOf(sorted);
  }

  /** Checks every link and returns them sorted, without duplicates, unmodifiable. */
  static List<String> links(Collection<String> links) {
    TreeSet<String> sorted = new TreeSet<>();
    for (String l : Objects.requireNonNull(links, "links")) {
      sorted.add(memoryId(l, "link"));
    }
    return List.copyOf(sorted);
  }

  /** Checks every entry and returns an unmodifiable sorted copy. */
  static SortedMap<String, String> metadata(Map<String, String> metadata) {
    TreeMap<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, String> e : Objects.requireNonNull(metadata, "metadata").entrySet()) {
      sorted.put(metadataKey(e.getKey()), metadataValue(e.getKey(), e.getValue()));
    }
    return Collections.unmodifiableSortedMap(sorted);
  }

  static boolean noControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code s} is well-formed UTF-16: every surrogate is part of a pair. */
  static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
