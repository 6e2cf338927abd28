package dev.mnode.crypto;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Ed25519 verification through Bouncy Castle, kept apart from {@link IdentityKey} so that loading
 * an identity key (as every command's start does) does not load Bouncy Castle, whose signed jar is
 * slow to open. Stateless.
 */
final class Ed25519 {
  private Ed25519() {}

  /** Returns whether {@code signature} is {@code publicKey}'s signature of {@code message}. */
  static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (signature.length != IdentityKey.SIGNATURE_BYTES) {
      return false;
    }
    Ed25519PublicKeyParameters params;
    try {
      params = new Ed25519PublicKeyParameters(publicKey, 0);
    } catch (IllegalArgumentException e) {
      return false; // not a point on the curve: bytes from a peer may be anything
    }
    Ed25519Signer v = new Ed25519Signer();
    v.init(false, params);
    v.update(message, 0, message.length);
    return v.verifySignature(signature);
  }
}
