package dev.mnode.p2p;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 (RFC 8032) through Bouncy Castle's rfc8032 implementation, kept in one place so that
 * parsing peer ids and keys does not load Bouncy Castle. The static API works on our own arrays, so
 * no copy of a seed outlives the call and {@link Ed25519Identity#close()} can wipe the only one.
 * Stateless and thread-safe.
 */
final class Ed25519Signatures {
  static final int SEED_BYTES = Ed25519.SECRET_KEY_SIZE;
  static final int PUBLIC_KEY_BYTES = Ed25519.PUBLIC_KEY_SIZE;
  static final int SIGNATURE_BYTES = Ed25519.SIGNATURE_SIZE;

  private Ed25519Signatures() {}

  /** Returns the public key of a 32-byte seed. */
  static byte[] publicKeyOf(byte[] seed) {
    byte[] publicKey = new byte[PUBLIC_KEY_BYTES];
    Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    return publicKey;
  }

  /** Signs {@code message}; {@code publicKey} must be {@link #publicKeyOf(byte[])} of the seed. */
  static byte[] sign(byte[] seed, byte[] publicKey, byte[] message) {
    byte[] signature = new byte[SIGNATURE_BYTES];
    Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, signature, 0);
    return signature;
  }

  /**
   * Returns whether {@code signature} is a valid signature of {@code message} by {@code publicKey};
   * false too for a signature of the wrong length or a key that is not a curve point.
   */
  static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (signature.length != SIGNATURE_BYTES || publicKey.length != PUBLIC_KEY_BYTES) {
      return false;
    }
    return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
  }
}
