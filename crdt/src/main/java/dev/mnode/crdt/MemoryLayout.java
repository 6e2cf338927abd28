package dev.mnode.crdt;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.automerge.AmValue;
import org.automerge.Document;
import org.automerge.MapEntry;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.Transaction;
import org.jspecify.annotations.Nullable;

/**
 * How a memory is laid out in its Automerge document (the layout drawn on {@link MemoryDoc}):
 * writing a new memory, planning and writing an edit, and reading the memory back. Reads go through
 * as few calls as possible, since automerge-java 0.0.7 spends about 4 µs per value it hands to
 * Java. Stateless.
 */
final class MemoryLayout {
  static final String SCHEMA = "schema";
  static final String ID = "id";
  static final String TEXT = "text";
  static final String CLASS = "class";
  static final String TAGS = "tags";
  static final String IMPORTANCE = "importance";
  static final String SOURCE = "source";
  static final String CREATED = "created";
  static final String UPDATED = "updated";
  static final String PINNED = "pinned";
  static final String METADATA = "metadata";
  static final String LINKS = "links";
  static final String FORGOTTEN = "forgotten";

  private MemoryLayout() {}

  /** Writes every field of a new memory into an empty document. */
  static void writeNew(Transaction tx, String id, MemoryFields f) {
    tx.set(ObjectId.ROOT, SCHEMA, MemoryDoc.SCHEMA);
    tx.set(ObjectId.ROOT, ID, id);
    tx.set(ObjectId.ROOT, TEXT, f.text());
    tx.set(ObjectId.ROOT, CLASS, f.memoryClass());
    ObjectId tags = tx.set(ObjectId.ROOT, TAGS, ObjectType.MAP);
    for (String t : f.tags()) {
      tx.set(tags, KeyCodec.encode(t), true);
    }
    tx.set(ObjectId.ROOT, IMPORTANCE, f.importance());
    tx.set(ObjectId.ROOT, SOURCE, f.source());
    tx.set(ObjectId.ROOT, CREATED, f.created().toString());
    tx.set(ObjectId.ROOT, UPDATED, f.updated().toString());
    tx.set(ObjectId.ROOT, PINNED, f.pinned());
    ObjectId metadata = tx.set(ObjectId.ROOT, METADATA, ObjectType.MAP);
    for (Map.Entry<String, String> e : f.metadata().entrySet()) {
      tx.set(metadata, KeyCodec.encode(e.getKey()), e.getValue());
    }
    ObjectId links = tx.set(ObjectId.ROOT, LINKS, ObjectType.MAP);
    for (String l : f.links()) {
      tx.set(links, KeyCodec.encode(l), true);
    }
  }

  /** Reads the root map's current values in one call. */
  static Root root(Document doc) {
    Map<String, AmValue> values = new HashMap<>();
    for (MapEntry e : doc.mapEntries(ObjectId.ROOT).orElse(new MapEntry[0])) {
      values.put(e.getKey(), e.getValue());
    }
    return new Root(values);
  }

  /**
   * Reads the memory: the root values already read, plus one call for each inner map.
   *
   * @return empty if forgotten or not created yet
   * @throws MalformedException (DOCUMENT) if the content breaks the layout or a value's limits
   */
  static Optional<MemoryState> read(Document doc, Root root) throws MalformedException {
    if (root.forgotten() || !root.created()) {
      return Optional.empty();
    }
    AmValue schema = root.values().get(SCHEMA);
    if (!(schema instanceof AmValue.Int s) || s.getValue() != MemoryDoc.SCHEMA) {
      throw malformed("schema is " + (schema == null ? "missing" : schema) + "; this version reads " + MemoryDoc.SCHEMA);
    }
    try {
      Instant created = root.instant(CREATED);
      Instant updated = root.instant(UPDATED);
      return Optional.of(
          new MemoryState(
              root.string(ID),
              root.string(TEXT),
              root.string(CLASS),
              keys(doc, root.mapId(TAGS), TAGS),
              root.float64(IMPORTANCE),
              root.string(SOURCE),
              created,
              updated.isBefore(created) ? created : updated,
              root.bool(PINNED),
              metadata(doc, root.mapId(METADATA)),
              keys(doc, root.mapId(LINKS), LINKS)));
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
  }

  private static List<String> keys(Document doc, ObjectId map, String name) throws MalformedException {
    String[] raw = doc.keys(map).orElse(new String[0]);
    List<String> out = new ArrayList<>(raw.length);
    for (String k : raw) {
      out.add(decodeKey(name, k));
    }
    return out;
  }

  private static SortedMap<String, String> metadata(Document doc, ObjectId map) throws MalformedException {
    SortedMap<String, String> out = new TreeMap<>();
    for (MapEntry e : doc.mapEntries(map).orElse(new MapEntry[0])) {
      if (!(e.getValue() instanceof AmValue.Str s)) {
        throw malformed("metadata value of " + Checks.shorten(e.getKey()) + " is not a string");
      }
      out.put(decodeKey(METADATA, e.getKey()), s.getValue());
    }
    return out;
  }

  private static String decodeKey(String map, String k) throws MalformedException {
    try {
      return KeyCodec.decode(k);
    } catch (IllegalArgumentException e) {
      throw malformed("in " + map + ": " + e.getMessage());
    }
  }

  static MalformedException malformed(@Nullable String message) {
    return new MalformedException(MalformedException.Kind.DOCUMENT, "memory document: " + message);
  }

  /** The root map's current values. */
  record Root(Map<String, AmValue> values) {
    boolean forgotten() {
      return values.get(FORGOTTEN) instanceof AmValue.Bool b && b.getValue();
    }

    boolean created() {
      return values.containsKey(ID);
    }

    ObjectId mapId(String key) throws MalformedException {
      if (values.get(key) instanceof AmValue.Map m) {
        return m.getId();
      }
      throw malformed(key + " is missing or not a map");
    }

    String string(String key) throws MalformedException {
      if (values.get(key) instanceof AmValue.Str s) {
        return s.getValue();
      }
      throw malformed(key + " is missing or not a string");
    }

    double float64(String key) throws MalformedException {
      if (values.get(key) instanceof AmValue.F64 f) {
        return f.getValue();
      }
      throw malformed(key + " is missing or not a float64");
    }

    boolean bool(String key) throws MalformedException {
      if (values.get(key) instanceof AmValue.Bool b) {
        return b.getValue();
      }
      throw malformed(key + " is missing or not a bool");
    }

    Instant instant(String key) throws MalformedException {
      String s = string(key);
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e) {
        throw malformed(key + " is not an ISO-8601 instant: " + Checks.shorten(s));
      }
    }
  }

  /**
   * What an edit writes, against the memory as it reads now: only values that differ, only set
   * elements that are absent (to add) or present (to remove).
   */
  record EditPlan(
      MemoryState current,
      Instant updated,
      Map<String, Object> scalars,
      SetDiff tags,
      SetDiff links,
      SortedMap<String, String> putMetadata,
      List<String> removeMetadata) {

    /**
     * Plans {@code edit} on {@code current}.
     *
     * @throws IllegalArgumentException if the result adds beyond a count limit or links the memory
     *     to itself
     */
    static EditPlan of(MemoryState current, MemoryEdit edit) {
      Map<String, Object> scalars = new TreeMap<>();
      if (edit.text() != null && !edit.text().equals(current.text())) {
        scalars.put(TEXT, edit.text());
      }
      if (edit.memoryClass() != null && !edit.memoryClass().equals(current.memoryClass())) {
        scalars.put(CLASS, edit.memoryClass());
      }
      if (edit.importance() != null && Double.compare(edit.importance(), current.importance()) != 0) {
        scalars.put(IMPORTANCE, edit.importance());
      }
      if (edit.source() != null && !edit.source().equals(current.source())) {
        scalars.put(SOURCE, edit.source());
      }
      if (edit.pinned() != null && edit.pinned() != current.pinned()) {
        scalars.put(PINNED, edit.pinned());
      }
      SetDiff tags = SetDiff.of(current.tags(), edit.tags(), edit.addTags(), edit.removeTags());
      tags.checkLimit("tags", MemoryFields.MAX_TAGS);
      SetDiff links = SetDiff.of(current.links(), edit.links(), edit.addLinks(), edit.removeLinks());
      links.checkLimit("links", MemoryFields.MAX_LINKS);
      Checks.require(!links.add().contains(current.id()), "a memory cannot link to itself");

      SortedMap<String, String> put = new TreeMap<>();
      edit.putMetadata().forEach((k, v) -> {
        if (!v.equals(current.metadata().get(k))) {
          put.put(k, v);
        }
      });
      List<String> remove = edit.removeMetadata().stream().filter(current.metadata()::containsKey).toList();
      long added = put.keySet().stream().filter(k -> !current.metadata().containsKey(k)).count();
      long after = current.metadata().size() + added - remove.size();
      Checks.require(
          added == 0 || after <= MemoryFields.MAX_METADATA_ENTRIES,
          "too many metadata entries: " + after + " (limit " + MemoryFields.MAX_METADATA_ENTRIES + ")");

      Instant updated = edit.updated().isBefore(current.created()) ? current.created() : edit.updated();
      return new EditPlan(current, updated, scalars, tags, links, put, remove);
    }

    boolean isEmpty() {
      return scalars.isEmpty() && tags.isEmpty() && links.isEmpty() && putMetadata.isEmpty() && removeMetadata.isEmpty();
    }

    /** Writes the plan, and the edit's time as {@code updated}. */
    void write(Transaction tx, Root root) throws MalformedException {
      for (Map.Entry<String, Object> e : scalars.entrySet()) {
        if (e.getValue() instanceof String s) {
          tx.set(ObjectId.ROOT, e.getKey(), s);
        } else if (e.getValue() instanceof Double d) {
          tx.set(ObjectId.ROOT, e.getKey(), d.doubleValue());
        } else {
          tx.set(ObjectId.ROOT, e.getKey(), ((Boolean) e.getValue()).booleanValue());
        }
      }
      tags.write(tx, root.mapId(TAGS));
      links.write(tx, root.mapId(LINKS));
      ObjectId metadata = root.mapId(METADATA);
      putMetadata.forEach((k, v) -> tx.set(metadata, KeyCodec.encode(k), v));
      removeMetadata.forEach(k -> tx.delete(metadata, KeyCodec.encode(k)));
      tx.set(ObjectId.ROOT, UPDATED, updated.toString());
    }
  }

  /** What an edit does to a set stored as a map of escaped element to true. */
  record SetDiff(Set<String> add, Set<String> remove, int sizeBefore) {
    static SetDiff of(List<String> current, @Nullable List<String> replace, List<String> add, List<String> remove) {
      Set<String> toAdd = new TreeSet<>(replace != null ? replace : add);
      toAdd.removeAll(current);
      Set<String> toRemove = new TreeSet<>(current);
      if (replace != null) {
        toRemove.removeAll(replace);
      } else {
        toRemove.retainAll(remove);
      }
      return new SetDiff(toAdd, toRemove, current.size());
    }

    boolean isEmpty() {
      return add.isEmpty() && remove.isEmpty();
    }

    void checkLimit(String what, int limit) {
      int after = sizeBefore + add.size() - remove.size();
      Checks.require(add.isEmpty() || after <= limit, "too many " + what + ": " + after + " (limit " + limit + ")");
    }

    void write(Transaction tx, ObjectId map) {
      add.forEach(s -> tx.set(map, KeyCodec.encode(s), true));
      remove.forEach(s -> tx.delete(map, KeyCodec.encode(s)));
    }
  }
}
