package dev.mnode.crdt;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string with value equality and unsigned lexicographic order; copies at the
 * edges. Not for secrets. Immutable and thread-safe.
 */
public final class ByteString implements Comparable<ByteString> {
  private static final ByteString EMPTY = new ByteString(new byte[0]);

  private final byte[] bytes;

  private ByteString(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Returns a byte string holding a copy of {@code bytes}. */
  public static ByteString copyOf(byte[] bytes) {
    return new ByteString(bytes.clone());
  }

  /** Returns a byte string holding a copy of {@code bytes[from..to)}. */
  public static ByteString copyOf(byte[] bytes, int from, int to) {
    return new ByteString(Arrays.copyOfRange(bytes, from, to));
  }

  /** Returns the empty byte string. */
  public static ByteString empty() {
    return EMPTY;
  }

  /** Takes ownership of {@code bytes}: the caller must not change the array afterwards. */
  static ByteString wrap(byte[] bytes) {
    return new ByteString(bytes);
  }

  /** Returns a copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Returns the number of bytes. */
  public int length() {
    return bytes.length;
  }

  /** Returns the bytes as lowercase hex. */
  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  /** The backing array, for reading only, inside this package. */
  byte[] unsafeArray() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteString b && Arrays.equals(bytes, b.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(ByteString o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return bytes.length <= 16 ? hex() : hex().substring(0, 16) + "...(" + bytes.length + " bytes)";
  }
}
