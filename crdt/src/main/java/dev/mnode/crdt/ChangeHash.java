package dev.mnode.crdt;

/**
 * The hash of one Automerge change: SHA-256 over the change's chunk type, length and body. A
 * document's heads are the hashes of the changes nothing else in it depends on.
 */
public record ChangeHash(ByteString bytes) implements Comparable<ChangeHash> {
  /** Length of a change hash. */
  public static final int BYTES = 32;

  /** @throws IllegalArgumentException unless the hash has {@value #BYTES} bytes */
  public ChangeHash {
    if (bytes.length() != BYTES) {
      throw new IllegalArgumentException("a change hash has " + BYTES + " bytes, not " + bytes.length());
    }
  }

  /** Returns the hash as lowercase hex. */
  public String hex() {
    return bytes.hex();
  }

  @Override
  public int compareTo(ChangeHash o) {
    return bytes.compareTo(o.bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
