package dev.mnode.crdt;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One or more Automerge changes to one memory document, concatenated in Automerge's binary change
 * format: what {@link MemoryDoc} produces and what a bundle carries. {@link #parse(byte[])} checks
 * the framing and checksum of every change before anything reaches Automerge. Immutable and
 * thread-safe.
 */
public final class Changes {
  /** Largest single change accepted: a full memory (64 KiB text, 64 metadata values) fits well. */
  public static final int MAX_CHANGE_BYTES = 2 * 1024 * 1024;
  /** Most changes accepted in one {@link #parse(byte[])}. */
  public static final int MAX_CHANGES = 10_000;

  private final List<ChangeChunk> changes;
  private final ByteString bytes;

  private Changes(List<ChangeChunk> changes, ByteString bytes) {
    this.changes = changes;
    this.bytes = bytes;
  }

  /**
   * Parses and checks {@code bytes}: one or more uncompressed Automerge change chunks, each with a
   * valid checksum. It does not check the changes' operations: {@link MemoryDoc#applyChanges}
   * reports a change Automerge refuses.
   *
   * @throws MalformedException (CHANGE) if the bytes are empty, cut short, not change chunks, carry
   *     a change over {@value #MAX_CHANGE_BYTES} bytes, more than {@value #MAX_CHANGES} changes or a
   *     wrong checksum
   */
  public static Changes parse(byte[] bytes) throws MalformedException {
    byte[] copy = bytes.clone();
    List<Chunks.Chunk> chunks = Chunks.split(copy, MAX_CHANGE_BYTES, MalformedException.Kind.CHANGE);
    if (chunks.size() > MAX_CHANGES) {
      throw new MalformedException(
          MalformedException.Kind.CHANGE, chunks.size() + " changes; at most " + MAX_CHANGES + " are accepted at once");
    }
    List<ChangeChunk> changes = new ArrayList<>(chunks.size());
    for (Chunks.Chunk c : chunks) {
      changes.add(Chunks.change(copy, c));
    }
    return new Changes(Collections.unmodifiableList(changes), ByteString.wrap(copy));
  }

  /** Joins already-checked changes, in order. */
  static Changes of(List<ChangeChunk> changes) {
    if (changes.isEmpty()) {
      throw new IllegalArgumentException("no changes");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ChangeChunk c : changes) {
      out.writeBytes(c.bytes().unsafeArray());
    }
    return new Changes(List.copyOf(changes), ByteString.wrap(out.toByteArray()));
  }

  /** Returns a copy of the encoded changes. */
  public byte[] toByteArray() {
    return bytes.toByteArray();
  }

  /** Returns the encoded changes. */
  public ByteString bytes() {
    return bytes;
  }

  /** Returns the number of encoded bytes. */
  public int length() {
    return bytes.length();
  }

  /** Returns how many changes there are (at least one). */
  public int count() {
    return changes.size();
  }

  /** Returns the changes' hashes, in the order of the encoding. */
  public List<ChangeHash> hashes() {
    return changes.stream().map(ChangeChunk::hash).toList();
  }

  /**
   * Returns the actors that wrote these changes, sorted; the node checks that a bundle's author
   * wrote all of them ({@link ActorId#ofDevice(byte[])}).
   */
  public SortedSet<ActorId> actors() {
    TreeSet<ActorId> actors = new TreeSet<>();
    for (ChangeChunk c : changes) {
      actors.add(c.actor());
    }
    return Collections.unmodifiableSortedSet(actors);
  }

  List<ChangeChunk> chunks() {
    return changes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Changes c && bytes.equals(c.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.hashCode();
  }

  @Override
  public String toString() {
    return "Changes[" + changes.size() + " changes, " + bytes.length() + " bytes]";
  }
}
