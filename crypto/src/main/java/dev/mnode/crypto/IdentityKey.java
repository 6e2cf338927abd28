package dev.mnode.crypto;

/**
 * A device's public identity: an Ed25519 public key (RFC 8032). The {@code p2p} module turns it
 * into the device's libp2p peer id. Immutable value.
 */
public record IdentityKey(Bytes key) implements Comparable<IdentityKey> {
  public static final int BYTES = 32;
  public static final int SIGNATURE_BYTES = 64;

  public IdentityKey {
    if (key.length() != BYTES) {
      throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, got " + key.length());
    }
  }

  public static IdentityKey of(byte[] key) {
    return new IdentityKey(Bytes.copyOf(key));
  }

  /**
   * Returns whether {@code signature} is this key's Ed25519 signature of {@code message}; false
   * too when the key is not a valid curve point (as bytes from a peer may be).
   */
  public boolean verify(byte[] message, byte[] signature) {
    return Ed25519.verify(key.unsafeArray(), message, signature);
  }

  @Override
  public int compareTo(IdentityKey o) {
    return key.compareTo(o.key);
  }

  @Override
  public String toString() {
    return "IdentityKey[" + key.hex().substring(0, 16) + "]";
  }
}
