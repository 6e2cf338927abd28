package dev.mnode.crdt;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 of a set of materialized memories, equal on two devices exactly when they hold the same
 * memories with the same fields, whatever order their changes arrived in ({@code mnode status
 * --json}, {@code digest}). Forgotten memories do not materialize, so they are not part of it.
 *
 * <p>The hashed bytes are:
 *
 * <pre>
 * str("mnode/crdt/state-digest/v2") | u32 count | for each memory, in ascending id order:
 *   SHA-256( str(id) | str(text) | str(class) | list(tags) | f64(importance) | str(source) |
 *            time(created) | time(updated) | u8 pinned (0 or 1) | u32 n | n x (str(key) | str(value)) |
 *            list(links) )
 * str(s)   = u32 length of s in UTF-8 | UTF-8 bytes of s
 * list(l)  = u32 n | n x str(element), elements in ascending order
 * f64(x)   = IEEE 754 binary64 bits of x (never -0.0)
 * time(t)  = i64 seconds since 1970-01-01T00:00:00Z | u32 nanoseconds (0..999,999,999)
 * </pre>
 *
 * All integers are big-endian; "ascending" is Java {@link String} order (UTF-16 code units), the
 * order {@link MemoryState} keeps tags, links and metadata keys in. Hashing each memory on its own
 * first lets a {@link Builder} take memories in any order while keeping 32 bytes of each, not its
 * text: a digest of a large vault streams. Immutable.
 *
 * @param sha256 the 32-byte digest
 */
public record Digest(ByteString sha256) {
  /** Length of a digest. */
  public static final int BYTES = 32;
  private static final String DOMAIN = "mnode/crdt/state-digest/v2";

  /** @throws IllegalArgumentException unless the digest has {@value #BYTES} bytes */
  public Digest {
    if (sha256.length() != BYTES) {
      throw new IllegalArgumentException("a digest has " + BYTES + " bytes, not " + sha256.length());
    }
  }

  /**
   * Returns the digest of {@code memories}.
   *
   * @throws IllegalArgumentException if two memories share an id
   */
  public static Digest of(Collection<MemoryState> memories) {
    Builder b = builder();
    memories.forEach(b::add);
    return b.build();
  }

  /** Returns an empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects memories in any order, keeping each one's id and hash. Not thread-safe. */
  public static final class Builder {
    private final TreeMap<String, byte[]> hashes = new TreeMap<>();
    private final MessageDigest sha = Sha256.newDigest();

    private Builder() {}

    /**
     * Adds {@code m}.
     *
     * @throws IllegalArgumentException if a memory with its id was added already
     */
    public Builder add(MemoryState m) {
      Out out = new Out(sha);
      out.str(m.id());
      out.str(m.text());
      out.str(m.memoryClass());
      out.list(m.tags());
      out.i64(Double.doubleToLongBits(m.importance()));
      out.str(m.source());
      out.time(m.created());
      out.time(m.updated());
      out.u8(m.pinned() ? 1 : 0);
      out.u32(m.metadata().size());
      for (Map.Entry<String, String> e : m.metadata().entrySet()) {
        out.str(e.getKey());
        out.str(e.getValue());
      }
      out.list(m.links());
      out.flush();
      if (hashes.putIfAbsent(m.id(), sha.digest()) != null) {
        throw new IllegalArgumentException("two memories with id " + m.id());
      }
      return this;
    }

    /** Returns the digest of the memories added so far. */
    public Digest build() {
      Out out = new Out(sha);
      out.str(DOMAIN);
      out.u32(hashes.size());
      out.flush();
      hashes.values().forEach(sha::update);
      return new Digest(ByteString.wrap(sha.digest()));
    }
  }

  /** Returns the digest as lowercase hex. */
  public String hex() {
    return sha256.hex();
  }

  @Override
  public String toString() {
    return hex();
  }

  /** Writes the encoding into a digest through a small buffer. Confined to one call. */
  private static final class Out {
    private final MessageDigest sha;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final ByteBuffer num = ByteBuffer.allocate(8);

    Out(MessageDigest sha) {
      this.sha = sha;
    }

    void u8(int v) {
      buf.write(v);
    }

    void u32(long v) {
      num.clear();
      num.putInt((int) v);
      buf.write(num.array(), 0, 4);
    }

    void i64(long v) {
      num.clear();
      num.putLong(v);
      buf.write(num.array(), 0, 8);
    }

    void str(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      u32(b.length);
      buf.writeBytes(b);
    }

    void list(List<String> l) {
      u32(l.size());
      l.forEach(this::str);
    }

    void time(Instant t) {
      i64(t.getEpochSecond());
      u32(t.getNano());
    }

    void flush() {
      sha.update(buf.toByteArray());
      buf.reset();
    }
  }
}
