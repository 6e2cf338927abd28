package dev.mnode.p2p;

import dev.mnode.p2p.multiformats.MultiformatException;
import dev.mnode.p2p.multiformats.MultiformatException.Reason;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * This node's libp2p identity: an Ed25519 key pair (RFC 8032, through Bouncy Castle). Its 32-byte
 * seed is the secret; the public key and {@link #peerId()} follow from it.
 *
 * <p>The seed is stored in the libp2p {@code PrivateKey} protobuf ({@link #toProtobuf()}): key type
 * Ed25519 and the 64 bytes {@code seed || public key}. Reading also accepts the legacy 96 bytes
 * {@code seed || public key || public key}, as the peer-ids spec asks.
 *
 * <p>Thread-safe for concurrent use; {@link #close()} wipes the seed and must come after every user
 * is done. The seed is never printed.
 */
public final class Ed25519Identity implements AutoCloseable {
  /** Bytes in an Ed25519 seed (the private key). */
  public static final int SEED_BYTES = 32;

  /** Bytes of key data in the preferred {@code PrivateKey} message: seed then public key. */
  public static final int PRIVATE_KEY_DATA_BYTES = 64;

  /** Bytes of key data in the legacy {@code PrivateKey} message: seed, public key, public key. */
  public static final int LEGACY_PRIVATE_KEY_DATA_BYTES = 96;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] seed;
  private final byte[] publicKeyBytes;
  private final Ed25519PublicKey publicKey;
  private volatile boolean closed;

  /** Takes ownership of {@code seed}. */
  private Ed25519Identity(byte[] seed) {
    this.seed = seed;
    this.publicKeyBytes = Ed25519Signatures.publicKeyOf(seed);
    this.publicKey = Ed25519PublicKey.of(publicKeyBytes);
  }

  /** Returns a new identity with a seed from a shared {@link SecureRandom}. */
  public static Ed25519Identity generate() {
    return generate(RANDOM);
  }

  /** Returns a new identity with a seed drawn from {@code random}. */
  public static Ed25519Identity generate(SecureRandom random) {
    byte[] seed = new byte[SEED_BYTES];
    random.nextBytes(seed);
    return new Ed25519Identity(seed);
  }

  /**
   * Returns the identity of a 32-byte {@code seed}, copying it (the caller wipes its own array).
   * Throws {@link IllegalArgumentException} for another length.
   */
  public static Ed25519Identity fromSeed(byte[] seed) {
    if (seed.length != SEED_BYTES) {
      throw new IllegalArgumentException(
          "an Ed25519 seed has " + SEED_BYTES + " bytes, got " + seed.length);
    }
    return new Ed25519Identity(seed.clone());
  }

  /**
   * Reads a libp2p {@code PrivateKey} protobuf message holding an Ed25519 key, in the preferred
   * 64-byte or the legacy 96-byte form, and checks that its public half belongs to its seed.
   *
   * @throws MultiformatException UNSUPPORTED for another key type, MALFORMED for another layout,
   *     another data length, or a public half that does not match (or, legacy form, two public
   *     halves that differ), TRUNCATED when cut short
   */
  public static Ed25519Identity fromProtobuf(byte[] message) throws MultiformatException {
    byte[] data = KeyProtobuf.decodeEd25519(message, "private key");
    try {
      if (data.length != PRIVATE_KEY_DATA_BYTES && data.length != LEGACY_PRIVATE_KEY_DATA_BYTES) {
        throw new MultiformatException(
            Reason.MALFORMED,
            "Ed25519 private key data has "
                + data.length
                + " bytes, expected "
                + PRIVATE_KEY_DATA_BYTES
                + " (or the legacy "
                + LEGACY_PRIVATE_KEY_DATA_BYTES
                + ")");
      }
      byte[] given = Arrays.copyOfRange(data, SEED_BYTES, SEED_BYTES + Ed25519PublicKey.BYTES);
      if (data.length == LEGACY_PRIVATE_KEY_DATA_BYTES
          && !Arrays.equals(given, Arrays.copyOfRange(data, 64, 96))) {
        throw new MultiformatException(
            Reason.MALFORMED, "legacy Ed25519 private key holds two different public keys");
      }
      Ed25519Identity identity = new Ed25519Identity(Arrays.copyOf(data, SEED_BYTES));
      if (!MessageDigest.isEqual(given, identity.publicKeyBytes)) {
        identity.close();
        throw new MultiformatException(
            Reason.MALFORMED, "Ed25519 private key's public half does not belong to its seed");
      }
      return identity;
    } catch (MultiformatException e) {
      throw e.withContext("private key protobuf");
    } finally {
      Arrays.fill(data, (byte) 0);
    }
  }

  /** Returns the public key. */
  public Ed25519PublicKey publicKey() {
    return publicKey;
  }

  /** Returns this identity's peer id. */
  public PeerId peerId() {
    return publicKey.toPeerId();
  }

  /**
   * Returns the 64-byte Ed25519 signature of {@code message}; throws {@link IllegalStateException}
   * after {@link #close()}.
   */
  public byte[] sign(byte[] message) {
    checkOpen();
    return Ed25519Signatures.sign(seed, publicKeyBytes, message);
  }

  /** Returns a copy of the 32-byte seed, for sealing at rest; the caller wipes it when done. */
  public byte[] seed() {
    checkOpen();
    return seed.clone();
  }

  /**
   * Returns the libp2p {@code PrivateKey} protobuf message ({@code 08 01 12 40 <seed> <public
   * key>}); it holds the secret, so the caller wipes it when done.
   */
  public byte[] toProtobuf() {
    checkOpen();
    byte[] data = new byte[PRIVATE_KEY_DATA_BYTES];
    System.arraycopy(seed, 0, data, 0, SEED_BYTES);
    System.arraycopy(publicKeyBytes, 0, data, SEED_BYTES, Ed25519PublicKey.BYTES);
    try {
      return KeyProtobuf.encode(KeyProtobuf.TYPE_ED25519, data);
    } finally {
      Arrays.fill(data, (byte) 0);
    }
  }

  /**
   * Overwrites the seed with zeros; later signing or export throws {@link IllegalStateException}.
   */
  @Override
  public void close() {
    closed = true;
    Arrays.fill(seed, (byte) 0);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this Ed25519 identity was closed and its seed wiped");
    }
  }

  /** Returns the peer id and no secret. */
  @Override
  public String toString() {
    return "Ed25519Identity[" + peerId() + ", secret redacted]";
  }
}
