package dev.mnode.p2p.net;

import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * A Noise {@code CipherState} for ChaChaPoly: a 32-byte key and a 64-bit counter nonce, encoded as
 * 4 zero bytes then the counter little-endian (Noise spec section 5.1, 12.3). The nonce is never
 * exposed and never repeats; the counter stops one short of its maximum, as the spec reserves it.
 *
 * <p>Confined to one thread at a time (Netty: the channel's event loop).
 */
final class NoiseCipherState {
  static final int KEY_BYTES = 32;
  static final int TAG_BYTES = 16;

  private final ChaCha20Poly1305 aead = new ChaCha20Poly1305();
  private final KeyParameter key;
  private long nonce;

  /** Copies {@code key}. */
  NoiseCipherState(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("a ChaChaPoly key has 32 bytes, got " + key.length);
    }
    this.key = new KeyParameter(key.clone());
  }

  /** Encrypts {@code plaintext} with {@code ad}; returns ciphertext and tag. */
  byte[] encrypt(byte[] ad, byte[] plaintext) {
    return encrypt(ad, plaintext, 0, plaintext.length);
  }

  /** Encrypts {@code len} bytes of {@code plaintext} from {@code off} with {@code ad}. */
  byte[] encrypt(byte[] ad, byte[] plaintext, int off, int len) {
    aead.init(true, new AEADParameters(key, TAG_BYTES * 8, nextNonce(), ad));
    byte[] out = new byte[len + TAG_BYTES];
    int n = aead.processBytes(plaintext, off, len, out, 0);
    try {
      aead.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("ChaChaPoly encryption failed", e);
    }
    return out;
  }

  /**
   * Decrypts and authenticates {@code ciphertext} (tag at the end) with {@code ad}.
   *
   * @throws P2pException PROTOCOL_VIOLATION if it is shorter than a tag or fails authentication
   */
  byte[] decrypt(byte[] ad, byte[] ciphertext) throws P2pException {
    if (ciphertext.length < TAG_BYTES) {
      throw new P2pException(
          Reason.PROTOCOL_VIOLATION,
          "Noise ciphertext of " + ciphertext.length + " bytes is shorter than its tag");
    }
    aead.init(false, new AEADParameters(key, TAG_BYTES * 8, nextNonce(), ad));
    byte[] out = new byte[ciphertext.length - TAG_BYTES];
    int n = aead.processBytes(ciphertext, 0, ciphertext.length, out, 0);
    try {
      aead.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      Arrays.fill(out, (byte) 0);
      throw new P2pException(
          Reason.PROTOCOL_VIOLATION, "Noise message failed authentication (ChaChaPoly tag)", e);
    }
    return out;
  }

  private byte[] nextNonce() {
    if (nonce == -2L) { // 2^64 - 2 in unsigned terms: the last usable nonce has been used
      throw new IllegalStateException("Noise nonce exhausted; the connection must be rekeyed");
    }
    long n = nonce++;
    byte[] out = new byte[12];
    for (int i = 0; i < 8; i++) {
      out[4 + i] = (byte) (n >>> (8 * i));
    }
    return out;
  }
}
