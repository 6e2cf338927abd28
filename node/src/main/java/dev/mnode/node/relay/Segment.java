package dev.mnode.node.relay;

import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.IdentityKey;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The plaintext of one relay blob: a batch of what one device sealed (membership operations, its
 * signed prekey, key envelopes, its own bundles), padded to a size bucket before it is sealed.
 *
 * <pre>
 * magic "MNRS" (4) | version u8 = 1 | vault length u8 | vault | device (32) | counter u64 |
 * entry count u32 | entries | zeros to the bucket
 * entry = kind u8 (1 op, 2 prekey, 3 envelope, 4 bundle) | length u32 | bytes
 * </pre>
 *
 * Buckets are powers of two from {@link #MIN_BUCKET} (4 KiB) to {@link #MAX_BUCKET} (16 MiB); the
 * sealed blob adds 40 bytes (nonce and tag), so every stored size is {@code 2^k + 40}. Decoding is
 * strict: wrong magic, version, lengths past the end, unknown kinds or non-zero padding are
 * refused. Immutable.
 */
record Segment(Bytes vault, IdentityKey device, long counter, List<Entry> entries) {
  static final int VERSION = 1;
  static final int MIN_BUCKET = 4096;
  static final int MAX_BUCKET = 16 * 1024 * 1024;
  /** Bytes a sealed blob adds to its padded plaintext: XChaCha20-Poly1305's nonce and tag. */
  static final int SEAL_OVERHEAD = 24 + 16;
  /** A segment is closed once its entries reach this many bytes (a larger single entry gets its own). */
  static final int TARGET_BYTES = 1024 * 1024 - 1024;
  /** At most this many entries in one segment. */
  static final int MAX_ENTRIES = 65_536;
  private static final byte[] MAGIC = "MNRS".getBytes(StandardCharsets.US_ASCII);

  /** What an entry carries. */
  enum Kind {
    OP(1), PREKEY(2), ENVELOPE(3), BUNDLE(4);

    final int code;

    Kind(int code) {
      this.code = code;
    }

    static Kind of(int code) throws RelayFormatException {
      for (Kind k : values()) {
        if (k.code == code) {
          return k;
        }
      }
      throw new RelayFormatException("unknown entry kind " + code);
    }
  }

  /** One item of a segment. */
  record Entry(Kind kind, Bytes bytes) {
    /** Encoded size of this entry. */
    int size() {
      return 5 + bytes.length();
    }
  }

  Segment {
    entries = List.copyOf(entries);
    if (entries.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException("a segment holds at most " + MAX_ENTRIES + " entries, got " + entries.size());
    }
    if (vault.length() > 255) {
      throw new IllegalArgumentException("vault id too long: " + vault.length());
    }
  }

  private int headerBytes() {
    return 4 + 1 + 1 + vault.length() + IdentityKey.BYTES + 8 + 4;
  }

  /** The padded plaintext. */
  byte[] encode() {
    int n = headerBytes();
    for (Entry e : entries) {
      n += e.size();
    }
    int bucket = bucket(n);
    ByteBuffer b = ByteBuffer.allocate(bucket);
    b.put(MAGIC).put((byte) VERSION).put((byte) vault.length()).put(vault.toByteArray())
        .put(device.key().toByteArray()).putLong(counter).putInt(entries.size());
    for (Entry e : entries) {
      b.put((byte) e.kind().code).putInt(e.bytes().length()).put(e.bytes().toByteArray());
    }
    return b.array();
  }

  /** Decodes a padded plaintext; refuses anything not made by {@link #encode}. */
  static Segment decode(byte[] padded) throws RelayFormatException {
    if (padded.length < MIN_BUCKET || padded.length != bucket(padded.length)) {
      throw new RelayFormatException("a segment of " + padded.length + " bytes is not a size bucket");
    }
    try {
      ByteBuffer b = ByteBuffer.wrap(padded);
      byte[] magic = new byte[4];
      b.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new RelayFormatException("not a relay segment");
      }
      int version = b.get() & 0xff;
      if (version != VERSION) {
        throw new RelayFormatException("segment version " + version + " is not supported");
      }
      byte[] vault = new byte[b.get() & 0xff];
      b.get(vault);
      byte[] device = new byte[IdentityKey.BYTES];
      b.get(device);
      long counter = b.getLong();
      int count = b.getInt();
      if (count < 0 || count > MAX_ENTRIES) {
        throw new RelayFormatException("segment claims " + count + " entries");
      }
      List<Entry> entries = new ArrayList<>(Math.min(count, 1024));
      for (int i = 0; i < count; i++) {
        Kind k = Kind.of(b.get() & 0xff);
        int len = b.getInt();
        if (len < 0 || len > b.remaining()) {
          throw new RelayFormatException("entry " + i + " runs past the segment");
        }
        byte[] bytes = new byte[len];
        b.get(bytes);
        entries.add(new Entry(k, Bytes.copyOf(bytes)));
      }
      while (b.hasRemaining()) {
        if (b.get() != 0) {
          throw new RelayFormatException("segment padding is not zero");
        }
      }
      return new Segment(Bytes.copyOf(vault), IdentityKey.of(device), counter, entries);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new RelayFormatException("segment is cut short or malformed");
    }
  }

  /** The padded size for {@code n} bytes: the next power of two from 4 KiB to 16 MiB. */
  static int bucket(int n) {
    if (n > MAX_BUCKET) {
      throw new IllegalArgumentException("a segment of " + n + " bytes exceeds " + MAX_BUCKET);
    }
    int b = MIN_BUCKET;
    while (b < n) {
      b <<= 1;
    }
    return b;
  }

  /** Whether {@code size} is the size of a sealed segment: some bucket plus {@link #SEAL_OVERHEAD}. */
  static boolean isSealedSize(long size) {
    long p = size - SEAL_OVERHEAD;
    return p >= MIN_BUCKET && p <= MAX_BUCKET && Long.bitCount(p) == 1;
  }

  /** Whether an entry of {@code bytes} fits in any segment. */
  static boolean fits(int bytes) {
    return bytes + 5 + 4 + 1 + 1 + 255 + IdentityKey.BYTES + 8 + 4 <= MAX_BUCKET;
  }
}
