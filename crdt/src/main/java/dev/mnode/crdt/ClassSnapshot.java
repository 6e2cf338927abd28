package dev.mnode.crdt;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The state of one class covering a {@link VersionVector}: the saved documents of its memories and
 * the ids of its forgotten ones. A device writes it as the body of a snapshot bundle; bundles it
 * covers may then be dropped, and a device bootstraps from the snapshot plus the bundles it does
 * not cover (the tail). The caller vouches that the documents hold exactly the changes of the
 * bundles the vector covers.
 *
 * <p>What it holds of each memory:
 *
 * <ul>
 *   <li>a live memory: its saved document, with any changes held for missing dependencies;
 *   <li>a memory not created yet (its first change is in a bundle the vector does not cover, as a
 *       vector need not be causally closed): its saved document of held changes, so that they are
 *       not lost when the covered bundles are dropped;
 *   <li>a forgotten memory: only its id (a tombstone). Its content is gone, so forgetting stays
 *       final, and {@link #applyTo} drops the document of a device that still had it.
 * </ul>
 *
 * <p>{@link #encode()} writes one canonical form (integers big-endian):
 *
 * <pre>
 * version u8 = 1 | vector length u32 | VersionVector.encode() |
 * count u32 (0..2^20) | count x ( id length u8 (1..64) | memory id, printable ASCII |
 *                                  saved length u32 | MemoryDoc.save() bytes ) |
 * forgotten u32 (0..2^20) | forgotten x ( id length u8 (1..64) | memory id ) |
 * CRC-32C u32 of all bytes before it
 * </pre>
 *
 * Both lists are in ascending id order without repeats, and no id is in both; {@link #decode}
 * refuses anything else. Immutable and thread-safe.
 */
public final class ClassSnapshot {
  /** Version of the encoding written by {@link #encode()}. */
  public static final int VERSION = 1;
  /** Most memories in one snapshot. */
  public static final int MAX_MEMORIES = 1 << 20;
  /** Largest encoded snapshot. */
  public static final int MAX_BYTES = 256 * 1024 * 1024;

  private final VersionVector covers;
  private final SortedMap<String, ByteString> documents;
  private final SortedSet<String> forgotten;

  private ClassSnapshot(VersionVector covers, SortedMap<String, ByteString> documents, SortedSet<String> forgotten) {
    this.covers = covers;
    this.documents = documents;
    this.forgotten = forgotten;
  }

  /**
   * What {@link #applyTo} did.
   *
   * @param added memories whose documents were loaded into the map
   * @param merged memories whose documents in the map received the snapshot's changes
   * @param dropped forgotten memories whose documents were closed and removed from the map
   */
  public record Applied(SortedSet<String> added, SortedSet<String> merged, SortedSet<String> dropped) {
    public Applied {
      added = Collections.unmodifiableSortedSet(new TreeSet<>(added));
      merged = Collections.unmodifiableSortedSet(new TreeSet<>(merged));
      dropped = Collections.unmodifiableSortedSet(new TreeSet<>(dropped));
    }
  }

  /**
   * Takes a snapshot of {@code docs} (memory id to document): the saved document of every memory
   * not forgotten that has any change, applied or held, and the id of every forgotten one.
   *
   * @throws MalformedException (DOCUMENT) if a document's content breaks the memory schema
   * @throws IllegalArgumentException if a document holds a memory other than its key, a key is not
   *     a memory id, or there are more than {@value #MAX_MEMORIES} documents or forgotten memories
   */
  public static ClassSnapshot of(VersionVector covers, Map<String, MemoryDoc> docs) throws MalformedException {
    return of(covers, docs, Set.of());
  }

  /**
   * As {@link #of(VersionVector, Map)}, with {@code tombstones} too: memories known to be forgotten
   * that have no document any more (a snapshot dropped it). A tombstone wins over a document.
   */
  public static ClassSnapshot of(VersionVector covers, Map<String, MemoryDoc> docs, Set<String> tombstones)
      throws MalformedException {
    TreeMap<String, ByteString> saved = new TreeMap<>();
    TreeSet<String> forgotten = new TreeSet<>();
    for (String id : tombstones) {
      forgotten.add(Checks.memoryId(id, "memory id"));
    }
    for (Map.Entry<String, MemoryDoc> e : docs.entrySet()) {
      String id = Checks.memoryId(e.getKey(), "memory id");
      if (forgotten.contains(id)) {
        continue;
      }
      if (e.getValue().isForgotten()) {
        forgotten.add(id);
        continue;
      }
      savedForm(id, e.getValue()).ifPresent(b -> saved.put(id, b));
    }
    return ofSaved(covers, saved, forgotten);
  }

  /**
   * What a snapshot keeps of the document {@code d} of memory {@code id}, which is not forgotten:
   * its saved form, or empty when it holds nothing (no memory, no held change).
   *
   * @throws MalformedException (DOCUMENT) if the document's content breaks the memory schema
   * @throws IllegalArgumentException if the document is forgotten or holds a memory other than {@code id}
   */
  public static Optional<ByteString> savedForm(String id, MemoryDoc d) throws MalformedException {
    Checks.require(!d.isForgotten(), "memory " + id + " is forgotten: it is a tombstone, not a document");
    Optional<MemoryState> m = d.materialize();
    Checks.require(m.isEmpty() || m.get().id().equals(id), "the document under " + id + " holds memory " + m.map(MemoryState::id).orElse(""));
    return m.isPresent() || d.heldCount() > 0 ? Optional.of(d.save()) : Optional.empty();
  }

  /**
   * A snapshot of documents already saved ({@link #savedForm}) and forgotten ids.
   *
   * @throws IllegalArgumentException if an id is not a memory id, is in both, or there are more
   *     than {@value #MAX_MEMORIES} of either
   */
  public static ClassSnapshot ofSaved(VersionVector covers, Map<String, ByteString> saved, Set<String> forgotten) {
    TreeMap<String, ByteString> docs = new TreeMap<>();
    saved.forEach((id, b) -> docs.put(Checks.memoryId(id, "memory id"), b));
    TreeSet<String> gone = new TreeSet<>();
    forgotten.forEach(id -> gone.add(Checks.memoryId(id, "memory id")));
    Checks.require(docs.size() <= MAX_MEMORIES && gone.size() <= MAX_MEMORIES,
        "a snapshot holds at most " + MAX_MEMORIES + " documents and as many forgotten memories");
    Checks.require(gone.stream().noneMatch(docs::containsKey), "a memory both saved and forgotten");
    return new ClassSnapshot(covers, Collections.unmodifiableSortedMap(docs), Collections.unmodifiableSortedSet(gone));
  }

  /** Returns the version vector the snapshot covers. */
  public VersionVector covers() {
    return covers;
  }

  /** Returns the saved documents by memory id, ascending. */
  public SortedMap<String, ByteString> documents() {
    return documents;
  }

  /** Returns the ids of the forgotten memories, ascending. */
  public SortedSet<String> forgotten() {
    return forgotten;
  }

  /** Returns the canonical encoding drawn in the class comment. */
  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] vv = covers.encode();
    out.write(VERSION);
    out.writeBytes(ByteBuffer.allocate(4).putInt(vv.length).array());
    out.writeBytes(vv);
    out.writeBytes(ByteBuffer.allocate(4).putInt(documents.size()).array());
    documents.forEach((id, doc) -> {
      out.write(id.length());
      out.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(ByteBuffer.allocate(4).putInt(doc.length()).array());
      out.writeBytes(doc.unsafeArray());
    });
    out.writeBytes(ByteBuffer.allocate(4).putInt(forgotten.size()).array());
    forgotten.forEach(id -> {
      out.write(id.length());
      out.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
    });
    CRC32C crc = new CRC32C();
    byte[] body = out.toByteArray();
    crc.update(body);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    return out.toByteArray();
  }

  /**
   * Reads what {@link #encode()} wrote. Documents are checked when they are loaded ({@link
   * #restore}), not here.
   *
   * @throws MalformedException (SNAPSHOT) for an unknown version, a wrong checksum, a length out of
   *     bounds, a bad version vector or memory id, ids out of order or repeated, or bytes left over
   */
  public static ClassSnapshot decode(byte[] bytes) throws MalformedException {
    MalformedException.Kind kind = MalformedException.Kind.SNAPSHOT;
    if (bytes.length < 1 + 4 + 4 + 4 || bytes.length > MAX_BYTES) {
      throw new MalformedException(kind, "snapshot of " + bytes.length + " bytes is out of bounds");
    }
    if ((bytes[0] & 0xff) != VERSION) {
      throw new MalformedException(kind, "snapshot encoding " + (bytes[0] & 0xff) + " is unknown; this version reads " + VERSION);
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (in.getInt(bytes.length - 4) != (int) crc.getValue()) {
      throw new MalformedException(kind, "snapshot checksum does not match");
    }
    in.position(1).limit(bytes.length - 4);
    int vvLength = in.getInt();
    if (vvLength < 0 || vvLength > in.remaining() - 4) {
      throw new MalformedException(kind, "snapshot version vector length " + vvLength + " is out of bounds");
    }
    byte[] vv = new byte[vvLength];
    in.get(vv);
    VersionVector covers;
    try {
      covers = VersionVector.decode(vv);
    } catch (MalformedException e) {
      throw new MalformedException(kind, "snapshot version vector: " + e.getMessage(), e);
    }
    int count = in.getInt();
    if (count < 0 || count > MAX_MEMORIES) {
      throw new MalformedException(kind, "snapshot claims " + count + " memories; at most " + MAX_MEMORIES);
    }
    TreeMap<String, ByteString> docs = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      String id = readId(in, i, docs.isEmpty() ? null : docs.lastKey());
      int docLength = in.remaining() < 4 ? -1 : in.getInt();
      if (docLength < 1 || docLength > in.remaining() || docLength > MemoryDoc.MAX_SAVED_BYTES) {
        throw new MalformedException(kind, "snapshot memory " + id + " has a saved length " + docLength + " out of bounds");
      }
      byte[] doc = new byte[docLength];
      in.get(doc);
      docs.put(id, ByteString.wrap(doc));
    }
    int forgottenCount = in.remaining() < 4 ? -1 : in.getInt();
    if (forgottenCount < 0 || forgottenCount > MAX_MEMORIES) {
      throw new MalformedException(kind, "snapshot claims " + forgottenCount + " forgotten memories; at most " + MAX_MEMORIES);
    }
    TreeSet<String> forgotten = new TreeSet<>();
    for (int i = 0; i < forgottenCount; i++) {
      String id = readId(in, i, forgotten.isEmpty() ? null : forgotten.last());
      if (docs.containsKey(id)) {
        throw new MalformedException(kind, "snapshot memory " + id + " is both saved and forgotten");
      }
      forgotten.add(id);
    }
    if (in.hasRemaining()) {
      throw new MalformedException(kind, "snapshot has " + in.remaining() + " bytes left over");
    }
    return new ClassSnapshot(covers, Collections.unmodifiableSortedMap(docs), Collections.unmodifiableSortedSet(forgotten));
  }

  private static String readId(ByteBuffer in, int i, @Nullable String previous) throws MalformedException {
    MalformedException.Kind kind = MalformedException.Kind.SNAPSHOT;
    int idLength = in.remaining() < 1 ? -1 : in.get() & 0xff;
    if (idLength < 1 || idLength > MemoryFields.MAX_ID_CHARS || in.remaining() < idLength) {
      throw new MalformedException(kind, "snapshot entry " + i + " has a bad id length or is cut short");
    }
    byte[] raw = new byte[idLength];
    in.get(raw);
    String id = new String(raw, StandardCharsets.US_ASCII);
    try {
      Checks.memoryId(id, "snapshot memory id");
    } catch (IllegalArgumentException e) {
      throw new MalformedException(kind, e.getMessage(), e);
    }
    if (previous != null && previous.compareTo(id) >= 0) {
      throw new MalformedException(kind, "snapshot ids out of order or repeated at entry " + i);
    }
    return id;
  }

  /**
   * Loads every document, to write as {@code actor}, checking that each holds the memory its id
   * names (or only changes held for a memory not created yet). Forgotten memories get no document.
   * The caller owns and closes the documents.
   *
   * @throws MalformedException (SNAPSHOT) if a document does not load, holds another memory, is
   *     forgotten or is empty; no document is left open then
   */
  public SortedMap<String, MemoryDoc> restore(ActorId actor) throws MalformedException {
    TreeMap<String, MemoryDoc> out = new TreeMap<>();
    try {
      for (Map.Entry<String, ByteString> e : documents.entrySet()) {
        out.put(e.getKey(), load(e.getKey(), e.getValue(), actor));
      }
    } catch (MalformedException | RuntimeException e) {
      out.values().forEach(MemoryDoc::close);
      throw e;
    }
    return out;
  }

  /**
   * Merges the snapshot into {@code docs} (memory id to document): a memory already there gets
   * every change of the snapshot's document (applying is idempotent); a missing one is loaded as
   * {@code actor} and put into the map, which then owns it; the document of a forgotten memory is
   * closed and removed from the map. Every snapshot document is loaded and checked before the map
   * changes.
   *
   * @throws MalformedException (SNAPSHOT) if a snapshot document does not load or is not what
   *     {@link #restore} accepts; the map is unchanged
   * @throws CrdtException if a document of the map refuses the changes ({@link
   *     MemoryDoc#applyChanges}); documents merged before it stay merged
   */
  public Applied applyTo(Map<String, MemoryDoc> docs, ActorId actor) throws CrdtException {
    SortedMap<String, MemoryDoc> loaded = restore(actor);
    TreeSet<String> added = new TreeSet<>();
    TreeSet<String> merged = new TreeSet<>();
    TreeSet<String> dropped = new TreeSet<>();
    try {
      for (String id : List.copyOf(loaded.keySet())) {
        @Nullable MemoryDoc existing = docs.get(id);
        if (existing == null) {
          docs.put(id, loaded.remove(id));
          added.add(id);
        } else {
          Optional<Changes> all = loaded.get(id).changesSince(List.of());
          if (all.isPresent()) {
            existing.applyChanges(all.get());
          }
          // Held changes are not in changesSince: hand them over too.
          Optional<Changes> held = heldChanges(loaded.get(id));
          if (held.isPresent()) {
            existing.applyChanges(held.get());
          }
          merged.add(id);
        }
      }
      for (String id : forgotten) {
        @Nullable MemoryDoc gone = docs.remove(id);
        if (gone != null) {
          gone.close();
          dropped.add(id);
        }
      }
      return new Applied(added, merged, dropped);
    } finally {
      loaded.values().forEach(MemoryDoc::close);
    }
  }

  /** Returns the changes {@code d} holds for missing dependencies, from its saved form. */
  private static Optional<Changes> heldChanges(MemoryDoc d) throws MalformedException {
    if (d.heldCount() == 0) {
      return Optional.empty();
    }
    byte[] saved = d.save().unsafeArray();
    List<Chunks.Chunk> chunks = Chunks.split(saved, MemoryDoc.MAX_SAVED_BYTES, MalformedException.Kind.DOCUMENT);
    List<ChangeChunk> held = new ArrayList<>();
    for (Chunks.Chunk c : chunks.subList(1, chunks.size())) {
      held.add(Chunks.change(saved, c));
    }
    return Optional.of(Changes.of(held));
  }

  private static MemoryDoc load(String id, ByteString saved, ActorId actor) throws MalformedException {
    MalformedException.Kind kind = MalformedException.Kind.SNAPSHOT;
    MemoryDoc d;
    try {
      d = CrdtModule.loadMemoryDoc(saved, actor);
    } catch (MalformedException e) {
      throw new MalformedException(kind, "snapshot memory " + id + ": " + e.getMessage(), e);
    }
    try {
      if (d.isForgotten()) {
        throw new MalformedException(kind, "snapshot document " + id + " is forgotten; it belongs in the forgotten list");
      }
      Optional<MemoryState> m = d.materialize();
      if (m.isPresent() ? !m.get().id().equals(id) : d.heldCount() == 0) {
        throw new MalformedException(kind, "snapshot document " + id + " does not hold that memory");
      }
      return d;
    } catch (MalformedException | RuntimeException e) {
      d.close();
      throw e instanceof MalformedException me && me.kind() == kind
          ? me
          : new MalformedException(kind, "snapshot memory " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClassSnapshot s && covers.equals(s.covers) && documents.equals(s.documents) && forgotten.equals(s.forgotten);
  }

  @Override
  public int hashCode() {
    return (covers.hashCode() * 31 + documents.hashCode()) * 31 + forgotten.hashCode();
  }

  @Override
  public String toString() {
    return "ClassSnapshot[" + documents.size() + " documents, " + forgotten.size() + " forgotten, covers " + covers + "]";
  }
}
