package dev.mnode.crypto;

import java.util.Arrays;
import java.util.HexFormat;

/** An immutable byte string with value equality; copies at the edges. Not for secrets. */
public final class Bytes implements Comparable<Bytes> {
  private final byte[] bytes;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Bytes copyOf(byte[] bytes) {
    return new Bytes(bytes.clone());
  }

  public static Bytes copyOf(byte[] bytes, int from, int to) {
    return new Bytes(Arrays.copyOfRange(bytes, from, to));
  }

  /** Returns a copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  /** Returns the bytes as lowercase hex. */
  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

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

  @Override
  public int compareTo(Bytes o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return bytes.length <= 16 ? hex() : hex().substring(0, 16) + "...(" + bytes.length + " bytes)";
  }
}
