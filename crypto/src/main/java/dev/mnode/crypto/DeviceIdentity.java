package dev.mnode.crypto;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A device's identity key pair: Ed25519 (Bouncy Castle). Signs prekeys, key envelopes and sealed
 * bundles. Its 32-byte seed is the secret to keep (sealed at rest by the store).
 *
 * <p>Thread-safe. {@link #close()} wipes the seed.
 */
public final class DeviceIdentity implements AutoCloseable {
  private final SecretBytes seed;
  private final Ed25519PrivateKeyParameters privateKey;
  private final IdentityKey publicKey;

  private DeviceIdentity(SecretBytes seed) {
    this.seed = seed;
    byte[] raw = seed.copy();
    try {
      this.privateKey = new Ed25519PrivateKeyParameters(raw, 0);
    } finally {
      java.util.Arrays.fill(raw, (byte) 0);
    }
    this.publicKey = IdentityKey.of(privateKey.generatePublicKey().getEncoded());
  }

  /** Returns a new random identity. */
  public static DeviceIdentity generate() {
    return new DeviceIdentity(SecretBytes.random(32));
  }

  /** Rebuilds an identity from its 32-byte seed. */
  public static DeviceIdentity fromSeed(SecretBytes seed) {
    if (seed.length() != 32) {
      throw new IllegalArgumentException("an Ed25519 seed has 32 bytes, got " + seed.length());
    }
    return new DeviceIdentity(SecretBytes.wrap(seed.copy()));
  }

  public IdentityKey publicKey() {
    return publicKey;
  }

  /** Returns the seed, for sealing at rest. */
  public SecretBytes seed() {
    return seed;
  }

  /** Returns the Ed25519 signature of {@code message}. */
  public byte[] sign(byte[] message) {
    Ed25519Signer s = new Ed25519Signer();
    s.init(true, privateKey);
    s.update(message, 0, message.length);
    return s.generateSignature();
  }

  @Override
  public void close() {
    seed.close();
  }

  @Override
  public String toString() {
    return "DeviceIdentity[" + publicKey + ", secret redacted]";
  }
}
