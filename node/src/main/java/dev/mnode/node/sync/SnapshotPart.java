package dev.mnode.node.sync;

import dev.mnode.crdt.ByteString;
import dev.mnode.crdt.ClassSnapshot;
import dev.mnode.crdt.MalformedException;
import dev.mnode.crdt.MemoryDoc;
import dev.mnode.crdt.VersionVector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One part of a class snapshot, the body of one bundle. A snapshot of a large class does not fit
 * one bundle ({@link dev.mnode.crypto.SealedBundle#MAX_BODY}), so its author writes it as {@code
 * count} bundles with consecutive seqs right after the last of its own bundles the snapshot
 * covers: part {@code index} has seq {@code covers[author] + 1 + index}. Every part carries the
 * same version vector and a slice of the documents and tombstones, so each can be merged on its
 * own (a union of changes); only all parts together stand for the bundles the vector covers.
 *
 * <pre>
 * body = kind u8 (1) | index u32 | count u32 (1..MAX_PARTS) | ClassSnapshot.encode()
 * </pre>
 *
 * @param index which part, from 0
 * @param count how many parts the snapshot has
 * @param snapshot this part's slice of the class
 */
record SnapshotPart(int index, int count, ClassSnapshot snapshot) {
  /** First byte of a snapshot part's body; change bodies start with {@link Replica#CHANGES}. */
  static final byte KIND = 1;
  /** Most parts of one snapshot. */
  static final int MAX_PARTS = 4096;
  /** Most documents in one part, so that applying one part is one store batch. */
  static final int MAX_DOCUMENTS = 5_000;
  /** Most forgotten ids in one part (with its documents, still one store batch). */
  static final int MAX_TOMBSTONES = 4_000;
  /** Saved document bytes aimed at per part: just under a 4 MiB padding bucket. */
  static final int TARGET_BYTES = (4 << 20) - (64 << 10);

  SnapshotPart {
    if (count < 1 || count > MAX_PARTS || index < 0 || index >= count) {
      throw new IllegalArgumentException("snapshot part " + index + " of " + count);
    }
  }

  /** Whether {@code body} is a snapshot part's (rather than a memory's changes). */
  static boolean isPart(byte[] body) {
    return body.length > 0 && body[0] == KIND;
  }

  byte[] encode() {
    byte[] s = snapshot.encode();
    return ByteBuffer.allocate(9 + s.length).put(KIND).putInt(index).putInt(count).put(s).array();
  }

  static SnapshotPart decode(byte[] body) throws MalformedException {
    if (body.length < 9 || body[0] != KIND) {
      throw new MalformedException(MalformedException.Kind.SNAPSHOT, "not a snapshot part");
    }
    ByteBuffer in = ByteBuffer.wrap(body);
    in.get();
    int index = in.getInt();
    int count = in.getInt();
    if (count < 1 || count > MAX_PARTS || index < 0 || index >= count) {
      throw new MalformedException(MalformedException.Kind.SNAPSHOT, "snapshot part " + index + " of " + count);
    }
    byte[] rest = new byte[in.remaining()];
    in.get(rest);
    return new SnapshotPart(index, count, ClassSnapshot.decode(rest));
  }

  /**
   * Splits the snapshot of {@code docs} and {@code tombstones} covering {@code covers} into parts of
   * about {@code targetBytes} of saved documents each (at least one part, even for an empty class).
   * Each document is saved once.
   */
  static List<SnapshotPart> split(
      VersionVector covers, Map<String, MemoryDoc> docs, Set<String> tombstones, int targetBytes)
      throws MalformedException {
    List<TreeMap<String, ByteString>> slices = new ArrayList<>();
    TreeSet<String> forgotten = new TreeSet<>(tombstones);
    TreeMap<String, ByteString> slice = new TreeMap<>();
    long bytes = 0;
    for (Map.Entry<String, MemoryDoc> e : new TreeMap<>(docs).entrySet()) {
      if (forgotten.contains(e.getKey())) {
        continue;
      }
      if (e.getValue().isForgotten()) {
        forgotten.add(e.getKey());
        continue;
      }
      Optional<ByteString> saved = ClassSnapshot.savedForm(e.getKey(), e.getValue());
      if (saved.isEmpty()) {
        continue;
      }
      int size = saved.get().length();
      if (!slice.isEmpty() && (bytes + size > targetBytes || slice.size() >= MAX_DOCUMENTS)) {
        slices.add(slice);
        slice = new TreeMap<>();
        bytes = 0;
      }
      slice.put(e.getKey(), saved.get());
      bytes += size;
    }
    slices.add(slice);
    while ((long) slices.size() * MAX_TOMBSTONES < forgotten.size()) {
      slices.add(new TreeMap<>());
    }
    if (slices.size() > MAX_PARTS) {
      throw new IllegalArgumentException("a snapshot of " + slices.size() + " parts is more than " + MAX_PARTS);
    }
    List<TreeSet<String>> stones = new ArrayList<>();
    slices.forEach(x -> stones.add(new TreeSet<>()));
    int i = 0;
    for (String id : forgotten) {
      stones.get(i++ % slices.size()).add(id);
    }
    List<SnapshotPart> parts = new ArrayList<>();
    for (int p = 0; p < slices.size(); p++) {
      parts.add(new SnapshotPart(p, slices.size(), ClassSnapshot.ofSaved(covers, slices.get(p), stones.get(p))));
    }
    return parts;
  }
}
