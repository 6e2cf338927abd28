package dev.mnode.node.sync;

import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.ClassKeyring;
import dev.mnode.crypto.SecretBytes;
import java.util.Arrays;
import java.util.Optional;

/**
 * What a key envelope carries, sealed: a rotation's candidate key with the membership operation
 * that made it, or an epoch's final key (to a device granted a class).
 *
 * <pre>
 * kind u8 (1 candidate, 2 epoch key) | operation id (32; zeros for an epoch key) | key (32)
 * </pre>
 */
record KeySlip(Optional<Bytes> operation, SecretBytes key) {
  static final int BYTES = 1 + 32 + ClassKeyring.KEY_BYTES;
  private static final byte CANDIDATE = 1;
  private static final byte EPOCH = 2;

  static byte[] candidate(Bytes operation, SecretBytes key) {
    return encode(CANDIDATE, operation.toByteArray(), key);
  }

  static byte[] epoch(SecretBytes key) {
    return encode(EPOCH, new byte[32], key);
  }

  private static byte[] encode(byte kind, byte[] op, SecretBytes key) {
    byte[] k = key.copy();
    byte[] out = new byte[BYTES];
    out[0] = kind;
    System.arraycopy(op, 0, out, 1, 32);
    System.arraycopy(k, 0, out, 33, k.length);
    Arrays.fill(k, (byte) 0);
    return out;
  }

  /** Parses and wipes {@code raw}. */
  static KeySlip parse(byte[] raw) {
    try {
      if (raw.length != BYTES || (raw[0] != CANDIDATE && raw[0] != EPOCH)) {
        throw new IllegalArgumentException("not a key slip");
      }
      Optional<Bytes> op = raw[0] == CANDIDATE ? Optional.of(Bytes.copyOf(raw, 1, 33)) : Optional.empty();
      return new KeySlip(op, SecretBytes.copyOf(Arrays.copyOfRange(raw, 33, BYTES)));
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }
}
