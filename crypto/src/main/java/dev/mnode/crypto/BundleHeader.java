package dev.mnode.crypto;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The clear header of a sealed bundle, which every carrier sees:
 *
 * <pre>
 * version u8 = 1 | vault (16) | class tag (16) | author identity key (32) | seq u64 | epoch u32 |
 * created epoch millis i64                                                         = 85 bytes
 * </pre>
 *
 * It names the class only by its opaque {@link ClassTag}. It is the AEAD's associated data and is
 * covered by the author's signature.
 */
public record BundleHeader(Bytes vault, ClassTag classTag, IdentityKey author, long seq, int epoch, Instant created) {
  public static final int VERSION = 1;
  public static final int BYTES = 1 + 16 + ClassTag.BYTES + 32 + 8 + 4 + 8;

  public BundleHeader {
    if (vault.length() != 16) {
      throw new IllegalArgumentException("a vault id has 16 bytes");
    }
    if (seq < 1) {
      throw new IllegalArgumentException("seq starts at 1: " + seq);
    }
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch starts at 1: " + epoch);
    }
    created = Instant.ofEpochMilli(created.toEpochMilli());
  }

  byte[] encode() {
    return ByteBuffer.allocate(BYTES)
        .put((byte) VERSION)
        .put(vault.unsafeArray())
        .put(classTag.tag().unsafeArray())
        .put(author.key().unsafeArray())
        .putLong(seq)
        .putInt(epoch)
        .putLong(created.toEpochMilli())
        .array();
  }

  static BundleHeader decode(ByteBuffer in) throws BundleException {
    if (in.remaining() < BYTES || in.get() != VERSION) {
      throw new BundleException(BundleException.Reason.MALFORMED, "not a version-" + VERSION + " bundle header");
    }
    try {
      return new BundleHeader(
          Bytes.copyOf(take(in, 16)),
          new ClassTag(Bytes.copyOf(take(in, ClassTag.BYTES))),
          IdentityKey.of(take(in, 32)),
          in.getLong(),
          in.getInt(),
          Instant.ofEpochMilli(in.getLong()));
    } catch (IllegalArgumentException e) {
      throw new BundleException(BundleException.Reason.MALFORMED, "bad bundle header: " + e.getMessage());
    }
  }

  private static byte[] take(ByteBuffer in, int n) {
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }
}
