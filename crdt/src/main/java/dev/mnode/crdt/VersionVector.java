package dev.mnode.crdt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * For each author of one class, the highest seq up to which a device holds that author's log
 * without a gap. Authors at 0 are simply absent. Immutable and thread-safe.
 *
 * <p>{@link #encode()} writes one canonical form:
 *
 * <pre>
 * version u8 = 1 | count u16 (0..1024) |
 *   count x ( author length u8 (1..128) | author, printable ASCII | seq u64 (1..2^63-1) ) |
 * CRC-32C u32 of all bytes before it
 * </pre>
 *
 * Entries are in ascending author order without repeats; {@link #decode(byte[])} refuses any other
 * order, so equal vectors have equal encodings.
 */
public final class VersionVector {
  /** Version of the encoding written by {@link #encode()}. */
  public static final int VERSION = 1;
  public static final int MAX_AUTHORS = 1024;
  public static final int MAX_AUTHOR_CHARS = 128;

  private static final VersionVector EMPTY = new VersionVector(Collections.emptySortedMap());

  /** How two vectors relate. */
  public enum Order {
    /** Both hold exactly the same. */
    EQUAL,
    /** This vector lacks something the other has and has nothing the other lacks. */
    BEFORE,
    /** This vector has something the other lacks and lacks nothing the other has. */
    AFTER,
    /** Each has something the other lacks. */
    CONCURRENT
  }

  private final SortedMap<String, Long> seqs;

  private VersionVector(SortedMap<String, Long> seqs) {
    this.seqs = seqs;
  }

  public static VersionVector empty() {
    return EMPTY;
  }

  /**
   * Returns the vector of {@code seqs}; authors at 0 are left out.
   *
   * @throws IllegalArgumentException for a bad author id, a negative seq or more than {@value
   *     #MAX_AUTHORS} authors
   */
  public static VersionVector of(Map<String, Long> seqs) {
    TreeMap<String, Long> copy = new TreeMap<>();
    for (Map.Entry<String, Long> e : seqs.entrySet()) {
      long seq = Objects.requireNonNull(e.getValue(), "seq");
      Checks.require(seq >= 0, "seq of " + e.getKey() + " is negative: " + seq);
      if (seq > 0) {
        copy.put(Checks.author(e.getKey()), seq);
      }
    }
    Checks.require(copy.size() <= MAX_AUTHORS, "more than " + MAX_AUTHORS + " authors: " + copy.size());
    return copy.isEmpty() ? EMPTY : new VersionVector(Collections.unmodifiableSortedMap(copy));
  }

  /** Returns the highest contiguous seq of {@code author}, 0 if none. */
  public long get(String author) {
    return seqs.getOrDefault(author, 0L);
  }

  /** Returns the entries, sorted by author, unmodifiable. */
  public SortedMap<String, Long> asMap() {
    return seqs;
  }

  /** Returns whether every author is at 0. */
  public boolean isEmpty() {
    return seqs.isEmpty();
  }

  /** Returns this vector with {@code author} at exactly {@code seq} (0 removes it). */
  public VersionVector with(String author, long seq) {
    TreeMap<String, Long> copy = new TreeMap<>(seqs);
    copy.put(Checks.author(author), seq);
    return of(copy);
  }

  /** Returns the least vector that dominates both: the higher seq of each author. */
  public VersionVector merge(VersionVector other) {
    TreeMap<String, Long> out = new TreeMap<>(seqs);
    other.seqs.forEach((a, s) -> out.merge(a, s, Math::max));
    return of(out);
  }

  /** Returns whether this vector holds everything {@code other} holds (equal vectors dominate each other). */
  public boolean dominates(VersionVector other) {
    for (Map.Entry<String, Long> e : other.seqs.entrySet()) {
      if (get(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** Returns how this vector relates to {@code other}. */
  public Order compare(VersionVector other) {
    boolean covers = dominates(other);
    boolean covered = other.dominates(this);
    if (covers && covered) {
      return Order.EQUAL;
    }
    if (covers) {
      return Order.AFTER;
    }
    return covered ? Order.BEFORE : Order.CONCURRENT;
  }

  /**
   * Returns what {@code other} holds that this vector lacks: for each author where {@code other} is
   * ahead, the range from this vector's seq + 1 to {@code other}'s, sorted by author. Empty when
   * this vector dominates {@code other}. A device sends a peer {@code peer.missingFrom(mine)}.
   */
  public List<SeqRange> missingFrom(VersionVector other) {
    List<SeqRange> out = new ArrayList<>();
    for (Map.Entry<String, Long> e : other.seqs.entrySet()) {
      long mine = get(e.getKey());
      if (mine < e.getValue()) {
        out.add(new SeqRange(e.getKey(), mine + 1, e.getValue()));
      }
    }
    return List.copyOf(out);
  }

  /** Returns the canonical encoding drawn in the class comment. */
  public byte[] encode() {
    int size = 1 + 2 + 4;
    for (String a : seqs.keySet()) {
      size += 1 + a.length() + 8;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put((byte) VERSION).putShort((short) seqs.size());
    seqs.forEach((a, s) -> out.put((byte) a.length()).put(a.getBytes(StandardCharsets.US_ASCII)).putLong(s));
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    return out.array();
  }

  /**
   * Reads what {@link #encode()} wrote.
   *
   * @throws MalformedException (VERSION_VECTOR) for an unknown version, a wrong checksum, a length
   *     out of bounds, an author id that is not printable ASCII, a seq below 1, authors out of
   *     order or repeated, or bytes left over
   */
  public static VersionVector decode(byte[] bytes) throws MalformedException {
    MalformedException.Kind kind = MalformedException.Kind.VERSION_VECTOR;
    if (bytes.length < 1 + 2 + 4) {
      throw new MalformedException(kind, "version vector of " + bytes.length + " bytes is too short");
    }
    if ((bytes[0] & 0xff) != VERSION) {
      throw new MalformedException(kind, "version vector encoding " + (bytes[0] & 0xff) + " is unknown; this version reads " + VERSION);
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (in.getInt(bytes.length - 4) != (int) crc.getValue()) {
      throw new MalformedException(kind, "version vector checksum does not match");
    }
    in.position(1).limit(bytes.length - 4);
    int count = in.getShort() & 0xffff;
    if (count > MAX_AUTHORS) {
      throw new MalformedException(kind, "version vector claims " + count + " authors; at most " + MAX_AUTHORS);
    }
    TreeMap<String, Long> seqs = new TreeMap<>();
    @Nullable String previous = null;
    for (int i = 0; i < count; i++) {
      if (in.remaining() < 1) {
        throw new MalformedException(kind, "version vector cut short at entry " + i);
      }
      int len = in.get() & 0xff;
      if (len < 1 || len > MAX_AUTHOR_CHARS || in.remaining() < len + 8) {
        throw new MalformedException(kind, "version vector entry " + i + " has a bad author length " + len);
      }
      byte[] a = new byte[len];
      in.get(a);
      String author = new String(a, StandardCharsets.US_ASCII);
      long seq = in.getLong();
      try {
        Checks.author(author);
      } catch (IllegalArgumentException e) {
        throw new MalformedException(kind, "version vector entry " + i + ": " + e.getMessage(), e);
      }
      if (seq < 1) {
        throw new MalformedException(kind, "version vector entry " + i + " has seq " + seq);
      }
      if (previous != null && previous.compareTo(author) >= 0) {
        throw new MalformedException(kind, "version vector authors out of order or repeated at entry " + i);
      }
      previous = author;
      seqs.put(author, seq);
    }
    if (in.hasRemaining()) {
      throw new MalformedException(kind, "version vector has " + in.remaining() + " bytes left over");
    }
    return of(seqs);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionVector v && seqs.equals(v.seqs);
  }

  @Override
  public int hashCode() {
    return seqs.hashCode();
  }

  @Override
  public String toString() {
    return "VersionVector" + seqs;
  }
}
