package dev.mnode.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The public half of a device's signed prekey: an X25519 public key, its id and creation time,
 * signed by the owner's identity key. Other devices seal key envelopes to it.
 *
 * <pre>
 * signed bytes = "mnode/prekey/v1" | owner (32) | id u32 | created epoch millis i64 | public key (32)
 * encoding     = version u8 = 1 | owner (32) | id u32 | created i64 | public key (32) | signature (64)
 * </pre>
 */
public record SignedPrekey(IdentityKey owner, int id, Instant created, Bytes publicKey, Bytes signature) {
  public static final int ENCODED_BYTES = 1 + 32 + 4 + 8 + 32 + 64;
  private static final byte[] DOMAIN = "mnode/prekey/v1".getBytes(StandardCharsets.US_ASCII);

  public SignedPrekey {
    if (publicKey.length() != 32) {
      throw new IllegalArgumentException("an X25519 public key has 32 bytes");
    }
    if (signature.length() != IdentityKey.SIGNATURE_BYTES) {
      throw new IllegalArgumentException("an Ed25519 signature has 64 bytes");
    }
    created = Instant.ofEpochMilli(created.toEpochMilli());
  }

  /** Returns whether the owner's identity key signed this prekey. */
  public boolean verify() {
    return owner.verify(signedBytes(owner, id, created, publicKey), signature.unsafeArray());
  }

  static byte[] signedBytes(IdentityKey owner, int id, Instant created, Bytes publicKey) {
    return ByteBuffer.allocate(DOMAIN.length + 32 + 4 + 8 + 32)
        .put(DOMAIN)
        .put(owner.key().unsafeArray())
        .putInt(id)
        .putLong(created.toEpochMilli())
        .put(publicKey.unsafeArray())
        .array();
  }

  public byte[] encode() {
    return ByteBuffer.allocate(ENCODED_BYTES)
        .put((byte) 1)
        .put(owner.key().unsafeArray())
        .putInt(id)
        .putLong(created.toEpochMilli())
        .put(publicKey.unsafeArray())
        .put(signature.unsafeArray())
        .array();
  }

  /** Decodes {@link #encode()}'s form; does not verify the signature. */
  public static SignedPrekey decode(byte[] bytes) throws CryptoException {
    if (bytes.length != ENCODED_BYTES || bytes[0] != 1) {
      throw new CryptoException("not a version-1 signed prekey");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
    IdentityKey owner = IdentityKey.of(take(in, 32));
    int id = in.getInt();
    Instant created = Instant.ofEpochMilli(in.getLong());
    return new SignedPrekey(owner, id, created, Bytes.copyOf(take(in, 32)), Bytes.copyOf(take(in, 64)));
  }

  private static byte[] take(ByteBuffer in, int n) {
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }
}
