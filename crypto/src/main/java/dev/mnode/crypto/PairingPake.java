package dev.mnode.crypto;

import com.google.crypto.tink.subtle.Hkdf;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKECurve;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKECurves;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKEParticipant;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKERound1Payload;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKERound2Payload;
import org.bouncycastle.crypto.agreement.ecjpake.ECSchnorrZKP;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * One run of the password-authenticated key exchange that pairs a new device with a member of a
 * vault: EC J-PAKE on P-256 (Bouncy Castle's {@link ECJPAKEParticipant}, SHA-256), bound to the
 * channel it runs over, with key confirmation of our own over that binding.
 *
 * <p><b>Why J-PAKE.</b> Pairing is symmetric: both devices hold the same one-time code and neither
 * keeps a verifier, so a balanced PAKE fits and an augmented one (Owl, SRP) would add a
 * registration step for nothing. J-PAKE is the balanced PAKE Bouncy Castle ships (there is no
 * SPAKE2 or CPace there); it needs no trusted setup, its messages carry zero-knowledge proofs, and
 * a run leaks nothing an eavesdropper or a peer could test code guesses against offline: an active
 * attacker gets exactly one guess per run, checked by the other side's key confirmation.
 *
 * <p><b>Binding.</b> A run is bound to a {@link Context}: the Noise handshake hash of the
 * connection and the peer ids of member and joiner. J-PAKE's participant ids are the fixed role
 * names {@code "member"} and {@code "joiner"}. From J-PAKE's keying material K:
 *
 * <pre>
 * T        = SHA-256("mnode/pair/1" | context | member round 1 | joiner round 1
 *                                   | member round 2 | joiner round 2)
 * okm      = HKDF-SHA256(ikm = K (32 bytes), salt = T, info = "mnode/pair/1 keys", 96 bytes)
 *          = kc_member (32) | kc_joiner (32) | session key (32)
 * confirm  = HMAC-SHA256(kc_role, "mnode/pair/1 confirm " role | T)
 * </pre>
 *
 * where {@code context = u16 len | handshake hash | u16 len | member id | u16 len | joiner id}. A
 * party relaying messages between two Noise connections gives the two ends different contexts, so
 * their confirmations fail even though their J-PAKE runs agree. Bouncy Castle's own round 3 is not
 * used: ours covers the context and the whole transcript.
 *
 * <p><b>Messages</b> (points SEC1-compressed, scalars 32-byte big-endian):
 *
 * <pre>
 * round 1 (198 bytes): 01 | 01 | G^x1 (33) | G^x2 (33) | V1 (33) | r1 (32) | V2 (33) | r2 (32)
 * round 2 (100 bytes): 01 | 02 | A (33) | V (33) | r (32)
 * confirm  (34 bytes): 01 | 03 | HMAC (32)
 * </pre>
 *
 * <p><b>Use.</b> Both sides call, in order, {@link #round1()}, {@link #round2(byte[])} with the
 * peer's round 1, {@link #confirmation(byte[])} with the peer's round 2, and {@link
 * #finish(byte[])} with the peer's confirmation, which returns the {@link PairingSession}. A call
 * out of order throws {@link IllegalStateException}; a bad message throws {@link PakeException} and
 * ends the run. A wrong code always fails the same way, in {@link #finish}, never earlier.
 *
 * <p>Confined to one thread at a time. {@link #close()} wipes the code and derived keys.
 */
public final class PairingPake implements AutoCloseable {
  private static final int POINT_BYTES = 33;

  /** The protocol version in every message. */
  public static final byte VERSION = 1;
  /** Length of a round 1 message. */
  public static final int ROUND1_BYTES = 2 + 4 * POINT_BYTES + 2 * 32;
  /** Length of a round 2 message. */
  public static final int ROUND2_BYTES = 2 + 2 * POINT_BYTES + 32;
  /** Length of a confirmation message. */
  public static final int CONFIRM_BYTES = 2 + 32;
  /** The longest code accepted, in characters. */
  public static final int MAX_CODE_CHARS = 256;
  /** The longest context field (handshake hash, peer id) accepted, in bytes. */
  public static final int MAX_CONTEXT_FIELD_BYTES = 1024;

  private static final byte TYPE_ROUND1 = 1;
  private static final byte TYPE_ROUND2 = 2;
  private static final byte TYPE_CONFIRM = 3;
  private static final int SCALAR_BYTES = 32;
  private static final ECJPAKECurve CURVE = ECJPAKECurves.NIST_P256;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] LABEL = "mnode/pair/1".getBytes(StandardCharsets.US_ASCII);
  private static final Constructor<ECSchnorrZKP> ZKP = zkpConstructor();

  /** Which side of the pairing we are; also J-PAKE's participant id. */
  public enum Role {
    /** The device already in the vault, which made the code. */
    MEMBER("member"),
    /** The new device, which typed the code. */
    JOINER("joiner");

    private final String participantId;

    Role(String participantId) {
      this.participantId = participantId;
    }

    /** Returns the J-PAKE participant id, {@code "member"} or {@code "joiner"}. */
    public String participantId() {
      return participantId;
    }

    /** Returns the other role. */
    public Role peer() {
      return this == MEMBER ? JOINER : MEMBER;
    }
  }

  /**
   * What a run is bound to. Both sides must build the same context from their own view of the
   * connection: a relayed run has two different ones.
   *
   * @param channelBinding the Noise handshake hash of the connection the run goes over
   * @param memberId the member's peer id bytes
   * @param joinerId the joiner's peer id bytes
   */
  public record Context(Bytes channelBinding, Bytes memberId, Bytes joinerId) {
    /** Checks every field is 1 to {@value PairingPake#MAX_CONTEXT_FIELD_BYTES} bytes. */
    public Context {
      check("channelBinding", channelBinding);
      check("memberId", memberId);
      check("joinerId", joinerId);
    }

    private static void check(String name, Bytes b) {
      if (b.length() == 0 || b.length() > MAX_CONTEXT_FIELD_BYTES) {
        throw new IllegalArgumentException(
            name + " must have 1 to " + MAX_CONTEXT_FIELD_BYTES + " bytes, has " + b.length());
      }
    }

    byte[] encode() {
      ByteBuffer out =
          ByteBuffer.allocate(6 + channelBinding.length() + memberId.length() + joinerId.length());
      for (Bytes b : new Bytes[] {channelBinding, memberId, joinerId}) {
        out.putShort((short) b.length()).put(b.unsafeArray());
      }
      return out.array();
    }
  }

  private enum State { NEW, ROUND1_SENT, ROUND2_SENT, CONFIRM_SENT, DONE, FAILED }

  private final Role role;
  private final Context context;
  private final ECJPAKEParticipant participant;
  private State state = State.NEW;
  private byte[] ourRound1 = new byte[0];
  private byte[] peerRound1 = new byte[0];
  private byte[] ourRound2 = new byte[0];
  private byte[] transcriptHash = new byte[0];
  private byte[] keys = new byte[0];

  private PairingPake(Role role, char[] code, Context context) {
    this.role = role;
    this.context = context;
    this.participant =
        new ECJPAKEParticipant(role.participantId(), code, CURVE, new SHA256Digest(), RANDOM);
  }

  /**
   * Starts a run as {@code role} with the normalized one-time {@code code}, bound to {@code
   * context}. The code array is copied; the caller wipes its own.
   *
   * @throws IllegalArgumentException if the code is empty or longer than {@value #MAX_CODE_CHARS}
   */
  public static PairingPake start(Role role, char[] code, Context context) {
    if (code.length == 0 || code.length > MAX_CODE_CHARS) {
      throw new IllegalArgumentException(
          "a pairing code has 1 to " + MAX_CODE_CHARS + " characters, has " + code.length);
    }
    return new PairingPake(role, code, context);
  }

  /** Returns our role. */
  public Role role() {
    return role;
  }

  /** Returns our round 1 message. First call of a run. */
  public byte[] round1() {
    expect(State.NEW, "round1");
    ECJPAKERound1Payload p = participant.createRound1PayloadToSend();
    ByteBuffer out = header(ROUND1_BYTES, TYPE_ROUND1);
    putPoint(out, p.getGx1());
    putPoint(out, p.getGx2());
    putProof(out, p.getKnowledgeProofForX1());
    putProof(out, p.getKnowledgeProofForX2());
    ourRound1 = out.array();
    state = State.ROUND1_SENT;
    return ourRound1.clone();
  }

  /**
   * Checks the peer's round 1 and returns our round 2.
   *
   * @throws PakeException MALFORMED or INVALID_PROOF
   * @throws IllegalStateException unless {@link #round1()} came just before
   */
  public byte[] round2(byte[] peerRound1Message) throws PakeException {
    expect(State.ROUND1_SENT, "round2");
    try {
      ByteBuffer in = body(peerRound1Message, ROUND1_BYTES, TYPE_ROUND1, "round 1");
      ECPoint gx1 = point(in, "round 1");
      ECPoint gx2 = point(in, "round 1");
      ECSchnorrZKP p1 = proof(in, "round 1");
      ECSchnorrZKP p2 = proof(in, "round 1");
      try {
        participant.validateRound1PayloadReceived(
            new ECJPAKERound1Payload(role.peer().participantId(), gx1, gx2, p1, p2));
      } catch (org.bouncycastle.crypto.CryptoException | RuntimeException e) {
        throw new PakeException(
            PakeException.Kind.INVALID_PROOF, "round 1 from the " + role.peer().participantId()
                + " does not verify: " + e.getMessage());
      }
      peerRound1 = peerRound1Message.clone();
      ECJPAKERound2Payload ours = participant.createRound2PayloadToSend();
      ByteBuffer out = header(ROUND2_BYTES, TYPE_ROUND2);
      putPoint(out, ours.getA());
      putProof(out, ours.getKnowledgeProofForX2s());
      ourRound2 = out.array();
      state = State.ROUND2_SENT;
      return ourRound2.clone();
    } catch (PakeException e) {
      fail();
      throw e;
    }
  }

  /**
   * Checks the peer's round 2, derives the keys and returns our key confirmation.
   *
   * @throws PakeException MALFORMED or INVALID_PROOF (never because the code is wrong)
   * @throws IllegalStateException unless {@link #round2} came just before
   */
  public byte[] confirmation(byte[] peerRound2Message) throws PakeException {
    expect(State.ROUND2_SENT, "confirmation");
    try {
      ByteBuffer in = body(peerRound2Message, ROUND2_BYTES, TYPE_ROUND2, "round 2");
      ECPoint a = point(in, "round 2");
      ECSchnorrZKP p = proof(in, "round 2");
      BigInteger k;
      try {
        participant.validateRound2PayloadReceived(
            new ECJPAKERound2Payload(role.peer().participantId(), a, p));
        k = participant.calculateKeyingMaterial();
      } catch (org.bouncycastle.crypto.CryptoException | RuntimeException e) {
        throw new PakeException(
            PakeException.Kind.INVALID_PROOF, "round 2 from the " + role.peer().participantId()
                + " does not verify: " + e.getMessage());
      }
      transcriptHash = transcript(peerRound2Message);
      byte[] ikm = BigIntegers.asUnsignedByteArray(SCALAR_BYTES, k);
      try {
        keys = Hkdf.computeHkdf(
            "HMACSHA256", ikm, transcriptHash, ascii("mnode/pair/1 keys"), 3 * 32);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HKDF-SHA256 unavailable", e);
      } finally {
        Arrays.fill(ikm, (byte) 0);
      }
      ByteBuffer out = header(CONFIRM_BYTES, TYPE_CONFIRM);
      out.put(confirmTag(role));
      state = State.CONFIRM_SENT;
      return out.array();
    } catch (PakeException e) {
      fail();
      throw e;
    }
  }

  /**
   * Checks the peer's key confirmation and returns the session; the run is then over. The caller
   * closes the session.
   *
   * @throws PakeException CONFIRMATION_FAILED if the codes or contexts differ, MALFORMED
   * @throws IllegalStateException unless {@link #confirmation} came just before
   */
  public PairingSession finish(byte[] peerConfirmation) throws PakeException {
    expect(State.CONFIRM_SENT, "finish");
    try {
      ByteBuffer in = body(peerConfirmation, CONFIRM_BYTES, TYPE_CONFIRM, "confirmation");
      byte[] tag = new byte[32];
      in.get(tag);
      if (!MessageDigest.isEqual(tag, confirmTag(role.peer()))) {
        throw new PakeException(
            PakeException.Kind.CONFIRMATION_FAILED,
            "key confirmation from the " + role.peer().participantId()
                + " failed: wrong code, or the run was relayed between two connections");
      }
      PairingSession session = new PairingSession(role, directionKey(role), directionKey(role.peer()));
      state = State.DONE;
      wipeKeys();
      return session;
    } catch (PakeException e) {
      fail();
      throw e;
    }
  }

  /** Wipes derived keys; the run cannot go on. */
  @Override
  public void close() {
    if (state != State.DONE) {
      state = State.FAILED;
    }
    wipeKeys();
  }

  @Override
  public String toString() {
    return "PairingPake[" + role + ", " + state + "]";
  }

  private StorageKey directionKey(Role sender) {
    byte[] session = Arrays.copyOfRange(keys, 64, 96);
    try {
      byte[] k =
          Hkdf.computeHkdf(
              "HMACSHA256", session, transcriptHash,
              ascii("mnode/pair/1 from " + sender.participantId()), StorageKey.KEY_BYTES);
      return StorageKey.of(SecretBytes.wrap(k));
    } catch (GeneralSecurityException | CryptoException e) {
      throw new IllegalStateException("cannot derive the pairing session keys", e);
    } finally {
      Arrays.fill(session, (byte) 0);
    }
  }

  private byte[] confirmTag(Role of) {
    int at = of == Role.MEMBER ? 0 : 32;
    byte[] kc = Arrays.copyOfRange(keys, at, at + 32);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(kc, "HmacSHA256"));
      mac.update(ascii("mnode/pair/1 confirm " + of.participantId()));
      return mac.doFinal(transcriptHash);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    } finally {
      Arrays.fill(kc, (byte) 0);
    }
  }

  private byte[] transcript(byte[] peerRound2) {
    byte[] memberR1 = role == Role.MEMBER ? ourRound1 : peerRound1;
    byte[] joinerR1 = role == Role.MEMBER ? peerRound1 : ourRound1;
    byte[] memberR2 = role == Role.MEMBER ? ourRound2 : peerRound2;
    byte[] joinerR2 = role == Role.MEMBER ? peerRound2 : ourRound2;
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(LABEL);
      sha.update(context.encode());
      sha.update(memberR1);
      sha.update(joinerR1);
      sha.update(memberR2);
      sha.update(joinerR2);
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private void expect(State wanted, String call) {
    if (state != wanted) {
      throw new IllegalStateException(
          call + "() called in state " + state + "; it must follow "
              + (wanted == State.NEW ? "start()" : wanted.name().toLowerCase()));
    }
  }

  private void fail() {
    state = State.FAILED;
    wipeKeys();
  }

  private void wipeKeys() {
    Arrays.fill(keys, (byte) 0);
  }

  private static ByteBuffer header(int length, byte type) {
    return ByteBuffer.allocate(length).put(VERSION).put(type);
  }

  private static ByteBuffer body(byte[] message, int length, byte type, String what)
      throws PakeException {
    if (message.length != length) {
      throw new PakeException(
          PakeException.Kind.MALFORMED,
          what + " message must have " + length + " bytes, has " + message.length);
    }
    if (message[0] != VERSION || message[1] != type) {
      throw new PakeException(
          PakeException.Kind.MALFORMED,
          what + " message has version " + message[0] + " type " + message[1] + ", expected "
              + VERSION + " and " + type);
    }
    return ByteBuffer.wrap(message, 2, length - 2);
  }

  private static void putPoint(ByteBuffer out, ECPoint p) {
    out.put(p.getEncoded(true));
  }

  private static void putProof(ByteBuffer out, ECSchnorrZKP zkp) {
    putPoint(out, zkp.getV());
    out.put(BigIntegers.asUnsignedByteArray(SCALAR_BYTES, zkp.getr()));
  }

  private static ECPoint point(ByteBuffer in, String what) throws PakeException {
    byte[] b = new byte[POINT_BYTES];
    in.get(b);
    try {
      ECPoint p = CURVE.getCurve().decodePoint(b);
      if (p.isInfinity() || !p.isValid()) {
        throw new IllegalArgumentException("not a valid point");
      }
      return p;
    } catch (IllegalArgumentException e) {
      throw new PakeException(
          PakeException.Kind.MALFORMED, what + " message holds bytes that are not a P-256 point");
    }
  }

  private static ECSchnorrZKP proof(ByteBuffer in, String what) throws PakeException {
    ECPoint v = point(in, what);
    byte[] r = new byte[SCALAR_BYTES];
    in.get(r);
    try {
      return ZKP.newInstance(v, new BigInteger(1, r));
    } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot build a Bouncy Castle Schnorr proof", e);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Bouncy Castle 1.87 gives {@link ECSchnorrZKP} no public constructor: its EC J-PAKE only passes
   * payload objects in memory. Reading a proof off the wire needs that constructor, so it is opened
   * here, once; it only stores the two values, and validation stays Bouncy Castle's.
   */
  private static Constructor<ECSchnorrZKP> zkpConstructor() {
    try {
      Constructor<ECSchnorrZKP> c =
          ECSchnorrZKP.class.getDeclaredConstructor(ECPoint.class, BigInteger.class);
      c.setAccessible(true);
      return c;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ExceptionInInitializerError(
          "this Bouncy Castle has no ECSchnorrZKP(ECPoint, BigInteger) constructor: " + e);
    }
  }
}
