package dev.mnode.p2p.multiformats;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string with value equality, copied at the edges. Records in this module hold
 * bytes through it, never through a raw {@code byte[]}. Not for secrets: it prints its content.
 *
 * <p>Immutable, so thread-safe.
 */
public final class Bytes implements Comparable<Bytes> {
  /** The empty byte string. */
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] bytes;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Returns a byte string holding a copy of {@code bytes}. */
  public static Bytes copyOf(byte[] bytes) {
    return new Bytes(bytes.clone());
  }

  /**
   * Returns a byte string holding a copy of {@code bytes[from..to)}; throws {@link
   * IndexOutOfBoundsException} when the range is not inside the array.
   */
  public static Bytes copyOf(byte[] bytes, int from, int to) {
    if (from < 0 || to > bytes.length || from > to) {
      throw new IndexOutOfBoundsException(
          "range [" + from + ", " + to + ") is not inside " + bytes.length + " bytes");
    }
    return new Bytes(Arrays.copyOfRange(bytes, from, to));
  }

  /**
   * Parses hex digits (either case, no separators), for constants and tests; throws {@link
   * IllegalArgumentException} on anything else.
   */
  public static Bytes fromHex(String hex) {
    return new Bytes(HexFormat.of().parseHex(hex));
  }

  /** Takes ownership of {@code bytes} without copying; for arrays nobody else holds. */
  static Bytes wrap(byte[] bytes) {
    return new Bytes(bytes);
  }

  /** Returns a fresh copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Returns a read-only view of the bytes, positioned at 0, for reading without a copy. */
  public ByteBuffer asReadOnlyBuffer() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  /** Returns the number of bytes. */
  public int length() {
    return bytes.length;
  }

  /** Returns whether this holds no bytes. */
  public boolean isEmpty() {
    return bytes.length == 0;
  }

  /** Returns the bytes as lowercase hex. */
  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  /** Returns the array itself, for readers in this package that neither keep nor change it. */
  byte[] unsafeArray() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes b && Arrays.equals(bytes, b.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Orders byte strings lexicographically by unsigned byte value. */
  @Override
  public int compareTo(Bytes o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  /** Returns the hex form, cut after 16 bytes. */
  @Override
  public String toString() {
    return bytes.length <= 16
        ? hex()
        : HexFormat.of().formatHex(bytes, 0, 16) + "...(" + bytes.length + " bytes)";
  }
}
