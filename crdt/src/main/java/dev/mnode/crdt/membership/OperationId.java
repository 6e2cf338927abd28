package dev.mnode.crdt.membership;

import dev.mnode.crypto.Bytes;

/**
 * The id of a membership {@link Operation}: SHA-256 of its signed bytes (every byte of its
 * encoding before the signature). Ordered as unsigned bytes, the order that breaks ties in the
 * replay and orders the candidate keys of concurrent rotations. Immutable value.
 */
public record OperationId(Bytes bytes) implements Comparable<OperationId> {
  /** Length of an operation id. */
  public static final int BYTES = 32;

  /** @throws IllegalArgumentException unless the id has {@value #BYTES} bytes */
  public OperationId {
    if (bytes.length() != BYTES) {
      throw new IllegalArgumentException("an operation id has " + BYTES + " bytes, not " + bytes.length());
    }
  }

  /** Returns the id as lowercase hex. */
  public String hex() {
    return bytes.hex();
  }

  @Override
  public int compareTo(OperationId o) {
    return bytes.compareTo(o.bytes);
  }

  @Override
  public String toString() {
    return hex().substring(0, 16);
  }
}
