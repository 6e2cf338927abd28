package dev.mnode.p2p;

import dev.mnode.p2p.multiformats.Base58Btc;
import dev.mnode.p2p.multiformats.Multibase;
import dev.mnode.p2p.multiformats.Multicodec;
import dev.mnode.p2p.multiformats.MultiformatException;
import dev.mnode.p2p.multiformats.MultiformatException.Reason;
import dev.mnode.p2p.multiformats.Multihash;
import dev.mnode.p2p.multiformats.UnsignedVarint;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * A libp2p peer id: the multihash of a peer's public key in its {@code PublicKey} protobuf encoding
 * (peer-ids spec). An encoding of at most {@link #MAX_INLINE_KEY_BYTES} bytes, such as every
 * Ed25519 key's 36, is carried whole in an identity multihash, so the key can be read back ({@link
 * #publicKey()}); a longer one (RSA, ECDSA) is hashed with sha2-256.
 *
 * <p>Text forms, both parsed by {@link #parse(String)}:
 *
 * <pre>
 *   legacy, printed by default:  base58btc(multihash)                      12D3KooW...  Qm...
 *   CIDv1:                       'b' base32(0x01 0x72 multihash)           bafzaa...    bafzbe...
 *                                      cidv1 ^    ^ libp2p-key
 * </pre>
 *
 * <p>Immutable value; equal peer ids have equal multihashes.
 *
 * @param multihash an identity multihash of 1 to {@link #MAX_INLINE_KEY_BYTES} bytes or a sha2-256
 *     multihash of 32
 */
public record PeerId(Multihash multihash) {
  /** The longest key encoding carried inline (identity multihash) rather than hashed. */
  public static final int MAX_INLINE_KEY_BYTES = 42;

  /** Bytes in a sha2-256 digest. */
  public static final int SHA256_BYTES = 32;

  /** The longest text {@link #parse(String)} reads; real peer ids have at most about 75. */
  public static final int MAX_TEXT_CHARS = 128;

  /** Checks the multihash kind and length; throws {@link IllegalArgumentException}. */
  public PeerId {
    String problem = problem(multihash);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** Returns the peer id of {@code key}: the identity multihash of its protobuf encoding. */
  public static PeerId fromPublicKey(Ed25519PublicKey key) {
    byte[] encoded = key.toProtobuf();
    return new PeerId(
        encoded.length <= MAX_INLINE_KEY_BYTES
            ? Multihash.identity(encoded)
            : Multihash.sha256(encoded));
  }

  /**
   * Reads a peer id from its binary form, a multihash (as in a {@code /p2p} multiaddr component).
   *
   * @throws MultiformatException MALFORMED when the bytes are not exactly one multihash of a kind
   *     and length a peer id can have; TRUNCATED or TOO_LONG from the multihash itself
   */
  public static PeerId fromBytes(byte[] bytes) throws MultiformatException {
    try {
      return decode(bytes);
    } catch (MultiformatException e) {
      throw e.withContext("peer id");
    }
  }

  private static PeerId decode(byte[] bytes) throws MultiformatException {
    Multihash mh = Multihash.decode(bytes);
    String problem = problem(mh);
    if (problem != null) {
      throw new MultiformatException(Reason.MALFORMED, problem);
    }
    return new PeerId(mh);
  }

  /**
   * Parses either text form: bare base58btc (starting {@code 1} or {@code Qm}) or a multibase CIDv1
   * with the {@code libp2p-key} codec ({@code b}, {@code B}, {@code k}, {@code K} or {@code z}
   * prefix).
   *
   * @throws MultiformatException MALFORMED for bad text, a CID that is not version 1 or not {@code
   *     libp2p-key}, or a multihash no peer id has; UNSUPPORTED for an unknown multibase; TOO_LONG
   *     past {@link #MAX_TEXT_CHARS}
   */
  public static PeerId parse(String text) throws MultiformatException {
    String context = "peer id '" + MultiformatException.excerpt(text) + "'";
    if (text.length() > MAX_TEXT_CHARS) {
      throw new MultiformatException(
          Reason.TOO_LONG,
          "peer id text has " + text.length() + " characters, more than " + MAX_TEXT_CHARS);
    }
    if (text.isEmpty()) {
      throw new MultiformatException(Reason.MALFORMED, "peer id text is empty");
    }
    try {
      if (text.startsWith("1") || text.startsWith("Qm")) {
        return decode(Base58Btc.decode(text));
      }
      ByteBuffer cid = ByteBuffer.wrap(Multibase.decode(text));
      long version = UnsignedVarint.read(cid);
      if (version != Multicodec.CIDV1) {
        throw new MultiformatException(
            Reason.MALFORMED, "CID version " + version + " is not 1; peer ids use CIDv1");
      }
      long codec = UnsignedVarint.read(cid);
      if (codec != Multicodec.LIBP2P_KEY) {
        throw new MultiformatException(
            Reason.MALFORMED, String.format("CID codec 0x%x is not libp2p-key (0x72)", codec));
      }
      byte[] multihash = new byte[cid.remaining()];
      cid.get(multihash);
      return decode(multihash);
    } catch (MultiformatException e) {
      throw e.withContext(context);
    }
  }

  /** Returns the binary form: the multihash bytes. */
  public byte[] toBytes() {
    return multihash.toBytes();
  }

  /** Returns the legacy text form, bare base58btc of the multihash ({@code 12D3KooW...}). */
  public String toBase58() {
    return Base58Btc.encode(multihash.toBytes());
  }

  /** Returns the CIDv1 text form: multibase base32 of {@code 0x01 0x72 <multihash>}. */
  public String toCid() {
    ByteArrayOutputStream cid = new ByteArrayOutputStream(multihash.encodedLength() + 2);
    cid.writeBytes(UnsignedVarint.encode(Multicodec.CIDV1));
    cid.writeBytes(UnsignedVarint.encode(Multicodec.LIBP2P_KEY));
    cid.writeBytes(multihash.toBytes());
    return Multibase.BASE32.encode(cid.toByteArray());
  }

  /** Returns whether the public key is carried inside this id (an identity multihash). */
  public boolean hasInlinePublicKey() {
    return multihash.isIdentity();
  }

  /**
   * Returns the Ed25519 public key carried inside this id.
   *
   * @throws MultiformatException UNSUPPORTED when this is a sha2-256 id (the key is hashed and must
   *     be learned from the peer, e.g. in the security handshake) or carries another key type;
   *     MALFORMED when the carried bytes are not a key protobuf
   */
  public Ed25519PublicKey publicKey() throws MultiformatException {
    if (!multihash.isIdentity()) {
      throw new MultiformatException(
          Reason.UNSUPPORTED,
          "peer id "
              + toBase58()
              + " is a sha2-256 hash of its public key; the key cannot be extracted from it"
              + " and must be learned from the peer");
    }
    try {
      return Ed25519PublicKey.fromProtobuf(multihash.digest().toByteArray());
    } catch (MultiformatException e) {
      throw e.withContext("peer id " + toBase58());
    }
  }

  /** Returns {@link #toBase58()}, the form the spec says to display. */
  @Override
  public String toString() {
    return toBase58();
  }

  private static @Nullable String problem(Multihash mh) {
    int length = mh.digest().length();
    if (mh.code() == Multicodec.IDENTITY) {
      return length >= 1 && length <= MAX_INLINE_KEY_BYTES
          ? null
          : "an identity peer id carries 1 to " + MAX_INLINE_KEY_BYTES + " bytes, not " + length;
    }
    if (mh.code() == Multicodec.SHA2_256) {
      return length == SHA256_BYTES
          ? null
          : "a sha2-256 peer id has a " + SHA256_BYTES + "-byte digest, not " + length;
    }
    return String.format(
        "a peer id is an identity or sha2-256 multihash, not code 0x%x", mh.code());
  }
}
