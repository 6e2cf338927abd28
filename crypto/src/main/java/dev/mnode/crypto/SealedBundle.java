package dev.mnode.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.subtle.Hkdf;
import com.google.crypto.tink.subtle.XChaCha20Poly1305;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The unit that moves between devices: a batch of changes of one class by one author, sealed.
 *
 * <pre>
 * header (BundleHeader, 85 bytes) | ciphertext length u32 | ciphertext | signature (64)
 *
 * ciphertext = XChaCha20-Poly1305(key, padded body, associated data = header), random 24-byte nonce
 * key        = HKDF-SHA256(class epoch key, salt = "mnode/bundle/v1", info = author | seq), 32 bytes
 * padded     = body length u32 | body | zeros, to the next size bucket (see {@link #bucket})
 * signature  = Ed25519 by the author over header | length | ciphertext
 * </pre>
 *
 * Carriers see the header and the padded size only. Immutable.
 */
public final class SealedBundle {
  /** Largest body accepted. */
  public static final int MAX_BODY = 16 << 20;

  private static final int MIN_BUCKET = 256;
  private static final int OVERHEAD = 24 + 16;
  private static final byte[] SALT = "mnode/bundle/v1".getBytes(StandardCharsets.US_ASCII);

  private final BundleHeader header;
  private final byte[] encoded;

  private SealedBundle(BundleHeader header, byte[] encoded) {
    this.header = header;
    this.encoded = encoded;
  }

  /** Seals {@code body} under the class epoch key named by the header's class tag and epoch. */
  public static SealedBundle seal(DeviceIdentity author, BundleHeader header, SecretBytes epochKey, byte[] body) {
    if (!header.author().equals(author.publicKey())) {
      throw new IllegalArgumentException("the header's author is not the signing identity");
    }
    if (body.length > MAX_BODY) {
      throw new IllegalArgumentException("bundle body of " + body.length + " bytes exceeds " + MAX_BODY);
    }
    byte[] head = header.encode();
    byte[] padded = new byte[bucket(4 + body.length)];
    ByteBuffer.wrap(padded).putInt(body.length).put(body);
    byte[] ct;
    try {
      ct = aead(epochKey, header).encrypt(padded, head);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("XChaCha20-Poly1305 failed", e);
    } finally {
      Arrays.fill(padded, (byte) 0);
    }
    ByteBuffer signed = ByteBuffer.allocate(head.length + 4 + ct.length).put(head).putInt(ct.length).put(ct);
    byte[] sig = author.sign(signed.array());
    byte[] encoded = ByteBuffer.allocate(signed.capacity() + 64).put(signed.array()).put(sig).array();
    return new SealedBundle(header, encoded);
  }

  /**
   * Parses a bundle and checks the author's signature over it. Whether the author may write this
   * class at this epoch is the caller's (membership's) question.
   *
   * @throws BundleException MALFORMED or BAD_SIGNATURE
   */
  public static SealedBundle decode(byte[] bytes) throws BundleException {
    return decode(bytes, true);
  }

  /**
   * Parses a bundle that this device checked when it received it (or sealed itself) and read back
   * from its own store, which authenticates every value it returns: the signature is not checked
   * again. Never for bytes from anywhere else.
   *
   * @throws BundleException MALFORMED
   */
  public static SealedBundle decodeKept(byte[] bytes) throws BundleException {
    return decode(bytes, false);
  }

  private static SealedBundle decode(byte[] bytes, boolean verify) throws BundleException {
    if (bytes.length < BundleHeader.BYTES + 4 + OVERHEAD + 64 || bytes.length > BundleHeader.BYTES + 4 + maxCiphertext() + 64) {
      throw new BundleException(BundleException.Reason.MALFORMED, "bundle of " + bytes.length + " bytes is out of bounds");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    BundleHeader header = BundleHeader.decode(in);
    int ctLen = in.getInt();
    if (ctLen < 0 || in.remaining() != (long) ctLen + 64) {
      throw new BundleException(BundleException.Reason.MALFORMED, "bundle length does not match its ciphertext length");
    }
    if (verify) {
      byte[] signed = Arrays.copyOf(bytes, bytes.length - 64);
      if (!header.author().verify(signed, Arrays.copyOfRange(bytes, bytes.length - 64, bytes.length))) {
        throw new BundleException(BundleException.Reason.BAD_SIGNATURE, "bundle signature does not verify");
      }
    }
    return new SealedBundle(header, bytes.clone());
  }

  /**
   * Opens the body with the class epoch key from {@code keys}.
   *
   * @throws BundleException NO_KEY when this device does not hold the key of the header's class
   *     and epoch, DOES_NOT_OPEN when the ciphertext was altered, BAD_PADDING when the plaintext
   *     is not a padded body
   */
  public byte[] open(ClassKeyring keys) throws BundleException {
    SecretBytes key =
        keys.key(header.classTag(), header.epoch())
            .orElseThrow(() -> new BundleException(BundleException.Reason.NO_KEY, "no key for " + header.classTag() + " epoch " + header.epoch()));
    byte[] padded;
    try (key) {
      int ctLen = ByteBuffer.wrap(encoded, BundleHeader.BYTES, 4).getInt();
      byte[] ct = Arrays.copyOfRange(encoded, BundleHeader.BYTES + 4, BundleHeader.BYTES + 4 + ctLen);
      padded = aead(key, header).decrypt(ct, Arrays.copyOf(encoded, BundleHeader.BYTES));
    } catch (GeneralSecurityException e) {
      throw new BundleException(BundleException.Reason.DOES_NOT_OPEN, "bundle does not open: altered or sealed under another key");
    }
    try {
      int len = ByteBuffer.wrap(padded).getInt();
      if (len < 0 || len > padded.length - 4 || padded.length != bucket(4 + len)) {
        throw new BundleException(BundleException.Reason.BAD_PADDING, "bundle padding is wrong");
      }
      return Arrays.copyOfRange(padded, 4, 4 + len);
    } finally {
      Arrays.fill(padded, (byte) 0);
    }
  }

  /**
   * Returns the padded size for {@code n} bytes: powers of two from 256 bytes up to 1 MiB, then
   * whole MiB. So a carrier learns a memory's length only to within a factor of two.
   */
  static int bucket(int n) {
    if (n <= MIN_BUCKET) {
      return MIN_BUCKET;
    }
    if (n <= (1 << 20)) {
      return Integer.highestOneBit(n - 1) << 1;
    }
    return ((n + (1 << 20) - 1) >> 20) << 20;
  }

  private static int maxCiphertext() {
    return bucket(4 + MAX_BODY) + OVERHEAD;
  }

  private static Aead aead(SecretBytes epochKey, BundleHeader header) throws GeneralSecurityException {
    byte[] ikm = epochKey.copy();
    byte[] info = ByteBuffer.allocate(32 + 8).put(header.author().key().unsafeArray()).putLong(header.seq()).array();
    byte[] key = Hkdf.computeHkdf("HMACSHA256", ikm, SALT, info, 32);
    try {
      return new XChaCha20Poly1305(key);
    } finally {
      Arrays.fill(ikm, (byte) 0);
      Arrays.fill(key, (byte) 0);
    }
  }

  public BundleHeader header() {
    return header;
  }

  /** Returns the bundle's bytes as they travel. */
  public byte[] encode() {
    return encoded.clone();
  }

  public int size() {
    return encoded.length;
  }
}
