package dev.mnode.p2p.net;

import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.Ed25519PublicKey;
import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import dev.mnode.p2p.multiformats.MultiformatException;
import java.nio.charset.StandardCharsets;

/**
 * The libp2p Noise handshake payload: a peer's identity key and its signature over its Noise static
 * key, which binds the two (libp2p noise spec, "The libp2p Handshake Payload").
 *
 * <pre>
 *   message NoiseHandshakePayload {
 *     bytes identity_key = 1;           // libp2p PublicKey protobuf
 *     bytes identity_sig = 2;           // sign("noise-libp2p-static-key:" || static X25519 key)
 *     NoiseExtensions extensions = 4;   // read and ignored
 *   }
 * </pre>
 *
 * Stateless.
 */
final class NoisePayload {
  static final byte[] SIGNATURE_PREFIX =
      "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);

  private NoisePayload() {}

  /** Returns our payload: our identity key and its signature over {@code staticKey}. */
  static byte[] create(Ed25519Identity identity, byte[] staticKey) {
    return new Protobuf.Writer()
        .bytes(1, identity.publicKey().toProtobuf())
        .bytes(2, identity.sign(signedBytes(staticKey)))
        .toByteArray();
  }

  /**
   * Reads a peer's payload and returns its identity key after checking that it signed {@code
   * remoteStaticKey}.
   *
   * @throws P2pException PROTOCOL_VIOLATION for a malformed payload, a key that is not Ed25519, or
   *     a signature that does not verify
   */
  static Ed25519PublicKey verify(byte[] payload, byte[] remoteStaticKey) throws P2pException {
    byte[] key = null;
    byte[] signature = null;
    Protobuf.Reader r = new Protobuf.Reader(payload, "Noise handshake payload");
    while (r.next()) {
      switch (r.field()) {
        case 1 -> key = r.bytes();
        case 2 -> signature = r.bytes();
        default -> r.skip();
      }
    }
    if (key == null || signature == null) {
      throw new P2pException(
          Reason.PROTOCOL_VIOLATION,
          "Noise handshake payload lacks its " + (key == null ? "identity key" : "signature"));
    }
    Ed25519PublicKey publicKey;
    try {
      publicKey = Ed25519PublicKey.fromProtobuf(key);
    } catch (MultiformatException e) {
      throw new P2pException(
          Reason.PROTOCOL_VIOLATION, "Noise handshake identity key: " + e.getMessage(), e);
    }
    if (!publicKey.verify(signedBytes(remoteStaticKey), signature)) {
      throw new P2pException(
          Reason.PROTOCOL_VIOLATION,
          "Noise static key is not signed by the identity " + publicKey.toPeerId() + " claims");
    }
    return publicKey;
  }

  private static byte[] signedBytes(byte[] staticKey) {
    byte[] out = new byte[SIGNATURE_PREFIX.length + staticKey.length];
    System.arraycopy(SIGNATURE_PREFIX, 0, out, 0, SIGNATURE_PREFIX.length);
    System.arraycopy(staticKey, 0, out, SIGNATURE_PREFIX.length, staticKey.length);
    return out;
  }
}
