package dev.mnode.p2p.net;

import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.jspecify.annotations.Nullable;

/**
 * The Noise handshake {@code Noise_XX_25519_ChaChaPoly_SHA256} (Noise spec revision 34), with
 * payloads left to the caller:
 *
 * <pre>
 *   XX:
 *     -&gt; e                    initiator: 32 bytes e, then payload (plaintext)
 *     &lt;- e, ee, s, es          responder: 32 bytes e, 48 bytes encrypted s, encrypted payload
 *     -&gt; s, se                initiator: 48 bytes encrypted s, encrypted payload
 * </pre>
 *
 * After the third message {@link #isComplete()}; {@link #sendCipher()} and {@link
 * #receiveCipher()} are the transport keys from {@code Split()} and {@link #handshakeHash()} is
 * {@code h}. X25519, ChaCha20-Poly1305, SHA-256 and HKDF are Bouncy Castle's.
 *
 * <p>Confined to one thread at a time.
 */
final class NoiseXX {
  static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";
  static final int DH_BYTES = 32;
  static final int HASH_BYTES = 32;

  private final boolean initiator;
  private final X25519PrivateKeyParameters s;
  private final X25519PrivateKeyParameters e;
  private byte[] ck;
  private byte[] h;
  private @Nullable NoiseCipherState k;
  private byte @Nullable [] re;
  private byte @Nullable [] rs;
  private int message;
  private @Nullable NoiseCipherState send;
  private @Nullable NoiseCipherState receive;

  /** Starts a handshake with a fresh ephemeral key and an empty prologue (as libp2p uses). */
  NoiseXX(boolean initiator, X25519PrivateKeyParameters staticKey, SecureRandom random) {
    this(initiator, staticKey, new X25519PrivateKeyParameters(random), new byte[0]);
  }

  /** Starts a handshake with a given ephemeral key and prologue: for known-answer tests. */
  NoiseXX(
      boolean initiator,
      X25519PrivateKeyParameters staticKey,
      X25519PrivateKeyParameters ephemeralKey,
      byte[] prologue) {
    this.initiator = initiator;
    this.s = staticKey;
    this.e = ephemeralKey;
    // The name is exactly 32 bytes, so h starts as the name itself (no hashing; spec 5.2).
    this.h = PROTOCOL_NAME.getBytes(StandardCharsets.US_ASCII);
    this.ck = h.clone();
    mixHash(prologue);
  }

  boolean isInitiator() {
    return initiator;
  }

  /** Returns whether it is our turn to write a message. */
  boolean isMyTurn() {
    return !isComplete() && (message % 2 == 0) == initiator;
  }

  boolean isComplete() {
    return message == 3;
  }

  /** Returns our static public key. */
  byte[] localStaticPublicKey() {
    return s.generatePublicKey().getEncoded();
  }

  /** Returns the peer's static public key, once its message carrying it has been read. */
  byte[] remoteStaticPublicKey() {
    if (rs == null) {
      throw new IllegalStateException("the remote static key has not been received yet");
    }
    return rs.clone();
  }

  /**
   * Writes our next handshake message carrying {@code payload}.
   *
   * @throws P2pException PROTOCOL_VIOLATION if the peer's ephemeral key gives a zero shared secret
   */
  byte[] writeMessage(byte[] payload) throws P2pException {
    if (!isMyTurn()) {
      throw new IllegalStateException("not our turn to write Noise message " + (message + 1));
    }
    byte[] out;
    if (message == 0) {
      byte[] ePub = e.generatePublicKey().getEncoded();
      mixHash(ePub);
      out = concat(ePub, encryptAndHash(payload));
    } else if (message == 1) {
      byte[] ePub = e.generatePublicKey().getEncoded();
      mixHash(ePub);
      mixKey(dh(e, re));
      byte[] sEnc = encryptAndHash(localStaticPublicKey());
      mixKey(dh(s, re));
      out = concat(ePub, sEnc, encryptAndHash(payload));
    } else {
      byte[] sEnc = encryptAndHash(localStaticPublicKey());
      mixKey(dh(s, re));
      out = concat(sEnc, encryptAndHash(payload));
    }
    advance();
    return out;
  }

  /**
   * Reads the peer's next handshake message and returns its payload.
   *
   * @throws P2pException PROTOCOL_VIOLATION if it is too short, fails authentication, or carries
   *     a key that gives a zero shared secret
   */
  byte[] readMessage(byte[] in) throws P2pException {
    if (isMyTurn() || isComplete()) {
      throw new IllegalStateException("not our turn to read Noise message " + (message + 1));
    }
    byte[] payload;
    if (message == 0) {
      need(in, DH_BYTES, 1);
      re = Arrays.copyOfRange(in, 0, DH_BYTES);
      mixHash(re);
      payload = decryptAndHash(Arrays.copyOfRange(in, DH_BYTES, in.length));
    } else if (message == 1) {
      int sLen = DH_BYTES + NoiseCipherState.TAG_BYTES;
      need(in, DH_BYTES + sLen + NoiseCipherState.TAG_BYTES, 2);
      re = Arrays.copyOfRange(in, 0, DH_BYTES);
      mixHash(re);
      mixKey(dh(e, re));
      rs = decryptAndHash(Arrays.copyOfRange(in, DH_BYTES, DH_BYTES + sLen));
      mixKey(dh(e, rs));
      payload = decryptAndHash(Arrays.copyOfRange(in, DH_BYTES + sLen, in.length));
    } else {
      int sLen = DH_BYTES + NoiseCipherState.TAG_BYTES;
      need(in, sLen + NoiseCipherState.TAG_BYTES, 3);
      rs = decryptAndHash(Arrays.copyOfRange(in, 0, sLen));
      mixKey(dh(e, rs));
      payload = decryptAndHash(Arrays.copyOfRange(in, sLen, in.length));
    }
    advance();
    return payload;
  }

  /** Returns the handshake hash {@code h}; complete handshakes only. */
  byte[] handshakeHash() {
    requireComplete();
    return h.clone();
  }

  NoiseCipherState sendCipher() {
    requireComplete();
    return send;
  }

  NoiseCipherState receiveCipher() {
    requireComplete();
    return receive;
  }

  private void advance() {
    message++;
    if (message == 3) {
      byte[] keys = hkdf(ck, new byte[0]);
      NoiseCipherState c1 = new NoiseCipherState(Arrays.copyOfRange(keys, 0, 32));
      NoiseCipherState c2 = new NoiseCipherState(Arrays.copyOfRange(keys, 32, 64));
      Arrays.fill(keys, (byte) 0);
      Arrays.fill(ck, (byte) 0);
      send = initiator ? c1 : c2;
      receive = initiator ? c2 : c1;
      k = null;
    }
  }

  private void requireComplete() {
    if (!isComplete()) {
      throw new IllegalStateException("the Noise handshake is not complete");
    }
  }

  private static void need(byte[] in, int min, int number) throws P2pException {
    if (in.length < min) {
      throw new P2pException(
          Reason.PROTOCOL_VIOLATION,
          "Noise handshake message " + number + " has " + in.length + " bytes, fewer than " + min);
    }
  }

  private void mixHash(byte[] data) {
    SHA256Digest d = new SHA256Digest();
    d.update(h, 0, h.length);
    d.update(data, 0, data.length);
    byte[] out = new byte[HASH_BYTES];
    d.doFinal(out, 0);
    h = out;
  }

  private void mixKey(byte[] ikm) {
    byte[] keys = hkdf(ck, ikm);
    ck = Arrays.copyOfRange(keys, 0, 32);
    k = new NoiseCipherState(Arrays.copyOfRange(keys, 32, 64));
    Arrays.fill(keys, (byte) 0);
    Arrays.fill(ikm, (byte) 0);
  }

  private byte[] encryptAndHash(byte[] plaintext) {
    byte[] out = k == null ? plaintext.clone() : k.encrypt(h, plaintext);
    mixHash(out);
    return out;
  }

  private byte[] decryptAndHash(byte[] ciphertext) throws P2pException {
    byte[] out = k == null ? ciphertext.clone() : k.decrypt(h, ciphertext);
    mixHash(ciphertext);
    return out;
  }

  /** Noise's HKDF with two outputs: RFC 5869 with salt {@code ck} and empty info, 64 bytes. */
  private static byte[] hkdf(byte[] chainingKey, byte[] ikm) {
    HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
    g.init(new HKDFParameters(ikm, chainingKey, new byte[0]));
    byte[] out = new byte[64];
    g.generateBytes(out, 0, out.length);
    return out;
  }

  private static byte[] dh(X25519PrivateKeyParameters priv, byte @Nullable [] pub)
      throws P2pException {
    if (pub == null) {
      throw new IllegalStateException("no remote key for Diffie-Hellman");
    }
    X25519Agreement agreement = new X25519Agreement();
    agreement.init(priv);
    byte[] out = new byte[DH_BYTES];
    try {
      agreement.calculateAgreement(new X25519PublicKeyParameters(pub, 0), out, 0);
    } catch (IllegalStateException e) {
      // Bouncy Castle refuses an all-zero result: the peer sent a low-order point.
      throw new P2pException(
          Reason.PROTOCOL_VIOLATION, "Noise peer sent an X25519 key of low order", e);
    }
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
