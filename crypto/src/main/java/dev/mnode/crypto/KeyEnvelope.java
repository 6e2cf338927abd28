package dev.mnode.crypto;

import com.google.crypto.tink.HybridDecrypt;
import com.google.crypto.tink.HybridEncrypt;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.hybrid.HpkeParameters;
import com.google.crypto.tink.hybrid.HpkePrivateKey;
import com.google.crypto.tink.hybrid.HpkePublicKey;
import com.google.crypto.tink.hybrid.internal.HpkeDecrypt;
import com.google.crypto.tink.hybrid.internal.HpkeEncrypt;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * A class epoch key sent to one device: HPKE (RFC 9180, Tink: DHKEM-X25519, HKDF-SHA256,
 * ChaCha20-Poly1305, base mode) sealed to the recipient's current signed prekey, with the header
 * as HPKE {@code info} so that vault, class, epoch, recipient and sender are bound to the key, and
 * signed by the sender's identity key (HPKE base mode does not authenticate the sender).
 *
 * <pre>
 * version u8 = 1 | vault (16) | class tag (16) | epoch u32 | recipient (32) | prekey id u32 |
 * sender (32) | ciphertext length u16 | HPKE ciphertext (32-byte encapsulated key, sealed key, tag) |
 * Ed25519 signature by sender over every byte before it (64)
 * </pre>
 *
 * Immutable.
 */
public final class KeyEnvelope {
  public static final int VERSION = 1;
  private static final int HEADER_BYTES = 1 + 16 + ClassTag.BYTES + 4 + 32 + 4 + 32;
  private static final int MAX_CIPHERTEXT = 256;
  private static final HpkeParameters HPKE;

  static {
    try {
      HPKE =
          HpkeParameters.builder()
              .setKemId(HpkeParameters.KemId.DHKEM_X25519_HKDF_SHA256)
              .setKdfId(HpkeParameters.KdfId.HKDF_SHA256)
              .setAeadId(HpkeParameters.AeadId.CHACHA20_POLY1305)
              .setVariant(HpkeParameters.Variant.NO_PREFIX)
              .build();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Bytes vault;
  private final ClassTag classTag;
  private final int epoch;
  private final IdentityKey recipient;
  private final int prekeyId;
  private final IdentityKey sender;
  private final byte[] encoded;

  private KeyEnvelope(
      Bytes vault, ClassTag classTag, int epoch, IdentityKey recipient, int prekeyId, IdentityKey sender, byte[] encoded) {
    this.vault = vault;
    this.classTag = classTag;
    this.epoch = epoch;
    this.recipient = recipient;
    this.prekeyId = prekeyId;
    this.sender = sender;
    this.encoded = encoded;
  }

  /**
   * Seals {@code epochKey} for the owner of {@code prekey}.
   *
   * @throws CryptoException if the prekey's signature does not verify
   */
  public static KeyEnvelope seal(
      DeviceIdentity sender, SignedPrekey prekey, Bytes vault, ClassTag classTag, int epoch, SecretBytes epochKey)
      throws CryptoException {
    if (vault.length() != 16) {
      throw new IllegalArgumentException("a vault id has 16 bytes");
    }
    if (!prekey.verify()) {
      throw new CryptoException("the recipient's prekey is not signed by its identity key");
    }
    byte[] header = header(vault, classTag, epoch, prekey.owner(), prekey.id(), sender.publicKey());
    byte[] key = epochKey.copy();
    try {
      HybridEncrypt enc = HpkeEncrypt.create(HpkePublicKey.create(HPKE, com.google.crypto.tink.util.Bytes.copyFrom(prekey.publicKey().unsafeArray()), null));
      byte[] ct = enc.encrypt(key, header);
      ByteBuffer body = ByteBuffer.allocate(header.length + 2 + ct.length);
      body.put(header).putShort((short) ct.length).put(ct);
      byte[] signature = sender.sign(body.array());
      byte[] encoded = ByteBuffer.allocate(body.capacity() + 64).put(body.array()).put(signature).array();
      return new KeyEnvelope(vault, classTag, epoch, prekey.owner(), prekey.id(), sender.publicKey(), encoded);
    } catch (GeneralSecurityException e) {
      throw new CryptoException("HPKE seal failed", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * Opens this envelope with the recipient's prekeys.
   *
   * @throws CryptoException if it is not addressed to {@code ring}'s owner, its prekey was erased,
   *     or it was altered
   */
  public SecretBytes open(PrekeyRing ring) throws CryptoException {
    if (!recipient.equals(ring.owner())) {
      throw new CryptoException("envelope is addressed to another device");
    }
    SecretBytes priv =
        ring.privateKey(prekeyId)
            .orElseThrow(() -> new CryptoException("prekey " + prekeyId + " was erased: the envelope can no longer be opened"));
    try (priv) {
      byte[] raw = priv.copy();
      try {
        HpkePublicKey pub =
            HpkePublicKey.create(HPKE, com.google.crypto.tink.util.Bytes.copyFrom(com.google.crypto.tink.subtle.X25519.publicFromPrivate(raw)), null);
        HybridDecrypt dec =
            HpkeDecrypt.create(
                HpkePrivateKey.create(pub, com.google.crypto.tink.util.SecretBytes.copyFrom(raw, InsecureSecretKeyAccess.get())));
        int ctLen = ((encoded[HEADER_BYTES] & 0xff) << 8) | (encoded[HEADER_BYTES + 1] & 0xff);
        byte[] ct = Arrays.copyOfRange(encoded, HEADER_BYTES + 2, HEADER_BYTES + 2 + ctLen);
        byte[] key = dec.decrypt(ct, Arrays.copyOf(encoded, HEADER_BYTES));
        return SecretBytes.wrap(key);
      } finally {
        Arrays.fill(raw, (byte) 0);
      }
    } catch (GeneralSecurityException e) {
      throw new CryptoException("envelope does not open: altered, or sealed to another key");
    }
  }

  /**
   * Parses an envelope and checks the sender's signature.
   *
   * @throws CryptoException if it is malformed or the signature does not verify
   */
  public static KeyEnvelope decode(byte[] bytes) throws CryptoException {
    if (bytes.length < HEADER_BYTES + 2 + 64 || bytes.length > HEADER_BYTES + 2 + MAX_CIPHERTEXT + 64 || bytes[0] != VERSION) {
      throw new CryptoException("not a version-" + VERSION + " key envelope");
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      in.get();
      Bytes vault = Bytes.copyOf(take(in, 16));
      ClassTag tag = new ClassTag(Bytes.copyOf(take(in, ClassTag.BYTES)));
      int epoch = in.getInt();
      IdentityKey recipient = IdentityKey.of(take(in, 32));
      int prekeyId = in.getInt();
      IdentityKey sender = IdentityKey.of(take(in, 32));
      int ctLen = in.getShort() & 0xffff;
      if (in.remaining() != ctLen + 64) {
        throw new CryptoException("key envelope length does not match its ciphertext length");
      }
      byte[] signed = Arrays.copyOf(bytes, bytes.length - 64);
      if (!sender.verify(signed, Arrays.copyOfRange(bytes, bytes.length - 64, bytes.length))) {
        throw new CryptoException("key envelope signature does not verify");
      }
      return new KeyEnvelope(vault, tag, epoch, recipient, prekeyId, sender, bytes.clone());
    } catch (BufferUnderflowException e) {
      throw new CryptoException("truncated key envelope");
    }
  }

  public byte[] encode() {
    return encoded.clone();
  }

  public Bytes vault() {
    return vault;
  }

  public ClassTag classTag() {
    return classTag;
  }

  public int epoch() {
    return epoch;
  }

  public IdentityKey recipient() {
    return recipient;
  }

  public int prekeyId() {
    return prekeyId;
  }

  public IdentityKey sender() {
    return sender;
  }

  private static byte[] header(Bytes vault, ClassTag tag, int epoch, IdentityKey recipient, int prekeyId, IdentityKey sender) {
    return ByteBuffer.allocate(HEADER_BYTES)
        .put((byte) VERSION)
        .put(vault.unsafeArray())
        .put(tag.tag().unsafeArray())
        .putInt(epoch)
        .put(recipient.key().unsafeArray())
        .putInt(prekeyId)
        .put(sender.key().unsafeArray())
        .array();
  }

  private static byte[] take(ByteBuffer in, int n) {
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }
}
