package dev.mnode.p2p;

import dev.mnode.p2p.multiformats.Bytes;
import dev.mnode.p2p.multiformats.MultiformatException;
import dev.mnode.p2p.multiformats.MultiformatException.Reason;

/**
 * A peer's Ed25519 public key (RFC 8032, 32 bytes), the key type every libp2p implementation must
 * support. On the wire it travels as the libp2p {@code PublicKey} protobuf ({@link #toProtobuf()});
 * its peer id embeds that message ({@link #toPeerId()}).
 *
 * <p>The bytes are not checked to be a curve point: {@link #verify(byte[], byte[])} simply returns
 * false for a key that is not one. Immutable value with equality on the key bytes.
 *
 * @param bytes the 32 key bytes
 */
public record Ed25519PublicKey(Bytes bytes) {
  /** Bytes in an Ed25519 public key. */
  public static final int BYTES = 32;

  /** Bytes in an Ed25519 signature. */
  public static final int SIGNATURE_BYTES = 64;

  /** Checks the length; throws {@link IllegalArgumentException} unless it is {@link #BYTES}. */
  public Ed25519PublicKey {
    if (bytes.length() != BYTES) {
      throw new IllegalArgumentException(
          "an Ed25519 public key has " + BYTES + " bytes, got " + bytes.length());
    }
  }

  /** Returns the key with a copy of the 32 raw {@code bytes}. */
  public static Ed25519PublicKey of(byte[] bytes) {
    return new Ed25519PublicKey(Bytes.copyOf(bytes));
  }

  /**
   * Reads a libp2p {@code PublicKey} protobuf message holding an Ed25519 key. Only the spec's
   * deterministic encoding is accepted.
   *
   * @throws MultiformatException UNSUPPORTED for another key type (RSA, Secp256k1, ECDSA),
   *     MALFORMED for any other layout or a key that is not 32 bytes, TRUNCATED when cut short
   */
  public static Ed25519PublicKey fromProtobuf(byte[] message) throws MultiformatException {
    byte[] data = KeyProtobuf.decodeEd25519(message, "public key");
    if (data.length != BYTES) {
      throw new MultiformatException(
          Reason.MALFORMED,
          "public key protobuf: Ed25519 key data has " + data.length + " bytes, not " + BYTES);
    }
    return of(data);
  }

  /** Returns the libp2p {@code PublicKey} protobuf message: {@code 08 01 12 20 <key>}. */
  public byte[] toProtobuf() {
    return KeyProtobuf.encode(KeyProtobuf.TYPE_ED25519, bytes.toByteArray());
  }

  /** Returns the peer id of this key (an identity multihash of {@link #toProtobuf()}). */
  public PeerId toPeerId() {
    return PeerId.fromPublicKey(this);
  }

  /**
   * Returns whether {@code signature} is this key's Ed25519 signature of {@code message}. False,
   * never an exception, for a signature of the wrong length or a key that is not a curve point.
   */
  public boolean verify(byte[] message, byte[] signature) {
    return Ed25519Signatures.verify(bytes.toByteArray(), message, signature);
  }

  /** Returns {@code Ed25519PublicKey[<first 8 bytes in hex>]}. */
  @Override
  public String toString() {
    return "Ed25519PublicKey[" + bytes.hex().substring(0, 16) + "]";
  }
}
