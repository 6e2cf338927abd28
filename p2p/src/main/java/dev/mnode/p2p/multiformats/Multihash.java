package dev.mnode.p2p.multiformats;

import dev.mnode.p2p.multiformats.MultiformatException.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A multihash: a hash function code, then the digest length, then the digest.
 *
 * <pre>
 *   +----------------+------------------+----------------+
 *   | code (uvarint) | length (uvarint) | digest[length] |
 *   +----------------+------------------+----------------+
 *   identity:  0x00 0x24 &lt;36 bytes&gt;        sha2-256:  0x12 0x20 &lt;32 bytes&gt;
 * </pre>
 *
 * <p>Any code is carried; only {@code identity} and {@code sha2-256} can be computed here.
 * Immutable value.
 *
 * @param code the multicodec number of the hash function, non-negative
 * @param digest the digest, at most {@link #MAX_DIGEST_BYTES}
 */
public record Multihash(long code, Bytes digest) {
  /** The longest digest carried, far above any hash libp2p uses (sha2-512 has 64). */
  public static final int MAX_DIGEST_BYTES = 128;

  /** Validates the code and the digest length; throws {@link IllegalArgumentException}. */
  public Multihash {
    if (code < 0) {
      throw new IllegalArgumentException("multihash code must be non-negative: " + code);
    }
    if (digest.length() > MAX_DIGEST_BYTES) {
      throw new IllegalArgumentException(
          "multihash digest has " + digest.length() + " bytes, more than " + MAX_DIGEST_BYTES);
    }
  }

  /**
   * Returns the identity multihash of {@code data}: {@code data} itself as the digest. Throws
   * {@link IllegalArgumentException} when it is longer than {@link #MAX_DIGEST_BYTES}.
   */
  public static Multihash identity(byte[] data) {
    return new Multihash(Multicodec.IDENTITY, Bytes.copyOf(data));
  }

  /** Returns the sha2-256 multihash of {@code data}. */
  public static Multihash sha256(byte[] data) {
    try {
      return new Multihash(
          Multicodec.SHA2_256, Bytes.wrap(MessageDigest.getInstance("SHA-256").digest(data)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * Decodes a byte array that holds exactly one multihash.
   *
   * @throws MultiformatException if the bytes are not exactly one multihash: see {@link
   *     #read(ByteBuffer)}, and MALFORMED when bytes follow it
   */
  public static Multihash decode(byte[] bytes) throws MultiformatException {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    Multihash mh = read(in);
    if (in.hasRemaining()) {
      throw new MultiformatException(
          Reason.MALFORMED, in.remaining() + " bytes follow the multihash");
    }
    return mh;
  }

  /**
   * Reads one multihash at the buffer's position and advances past it; on failure the position is
   * unchanged.
   *
   * @throws MultiformatException TRUNCATED when the buffer ends inside it, TOO_LONG when the digest
   *     exceeds {@link #MAX_DIGEST_BYTES}, MALFORMED for a bad varint
   */
  public static Multihash read(ByteBuffer in) throws MultiformatException {
    int start = in.position();
    try {
      long code = UnsignedVarint.read(in);
      int length = UnsignedVarint.readLength(in, MAX_DIGEST_BYTES);
      byte[] digest = new byte[length];
      in.get(digest);
      return new Multihash(code, Bytes.wrap(digest));
    } catch (MultiformatException e) {
      in.position(start);
      throw e.withContext("multihash");
    }
  }

  /** Returns whether this is an identity multihash, whose digest is the hashed data itself. */
  public boolean isIdentity() {
    return code == Multicodec.IDENTITY;
  }

  /** Returns the encoded multihash: code, digest length, digest. */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(encodedLength());
    out.writeBytes(UnsignedVarint.encode(code));
    out.writeBytes(UnsignedVarint.encode(digest.length()));
    out.writeBytes(digest.unsafeArray());
    return out.toByteArray();
  }

  /** Returns the length of {@link #toBytes()}. */
  public int encodedLength() {
    return UnsignedVarint.encodedLength(code)
        + UnsignedVarint.encodedLength(digest.length())
        + digest.length();
  }
}
