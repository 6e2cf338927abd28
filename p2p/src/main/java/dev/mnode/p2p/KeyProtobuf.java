package dev.mnode.p2p;

import dev.mnode.p2p.multiformats.MultiformatException;
import dev.mnode.p2p.multiformats.MultiformatException.Reason;
import dev.mnode.p2p.multiformats.UnsignedVarint;
import java.nio.ByteBuffer;

/**
 * The libp2p {@code PublicKey} and {@code PrivateKey} protobuf messages (peer-ids spec), written
 * and read in the one deterministic encoding the spec requires: field 1 ({@code Type}, varint enum)
 * then field 2 ({@code Data}, bytes), both present, minimal varints, nothing else.
 *
 * <pre>
 *   +------+----------------+------+------------------+------------+
 *   | 0x08 | Type (uvarint) | 0x12 | length (uvarint) | Data       |
 *   +------+----------------+------+------------------+------------+
 *   tag: field 1, varint     tag: field 2, length-delimited
 *   Ed25519 public key:  08 01 12 20 &lt;32 bytes&gt;
 * </pre>
 *
 * <p>Decoding accepts only that layout, so a key has exactly one encoding and a peer id derived
 * from a re-encoded key always matches. Stateless.
 */
final class KeyProtobuf {
  /** {@code KeyType.Ed25519}. */
  static final int TYPE_ED25519 = 1;

  private static final int TAG_TYPE = (1 << 3) | 0; // field 1, wire type varint
  private static final int TAG_DATA = (2 << 3) | 2; // field 2, wire type length-delimited
  private static final String[] TYPE_NAMES = {"RSA", "Ed25519", "Secp256k1", "ECDSA"};

  /** The longest message read: above RSA-4096 private keys, so those are named, not cut. */
  static final int MAX_MESSAGE_BYTES = 8192;

  private KeyProtobuf() {}

  /**
   * Returns the message for a key of {@code type} with {@code data}. Writes into one exact array,
   * so a private key leaves no stray copies in growable buffers.
   */
  static byte[] encode(int type, byte[] data) {
    byte[] typeVarint = UnsignedVarint.encode(type);
    byte[] lengthVarint = UnsignedVarint.encode(data.length);
    ByteBuffer out = ByteBuffer.allocate(2 + typeVarint.length + lengthVarint.length + data.length);
    out.put((byte) TAG_TYPE).put(typeVarint).put((byte) TAG_DATA).put(lengthVarint).put(data);
    return out.array();
  }

  /**
   * Returns the {@code Data} of an Ed25519 key message; {@code what} ("public key", "private key")
   * names the message in errors.
   *
   * @throws MultiformatException UNSUPPORTED for another known key type, MALFORMED for any other
   *     layout, TRUNCATED when the data is cut short, TOO_LONG past {@link #MAX_MESSAGE_BYTES}
   */
  static byte[] decodeEd25519(byte[] message, String what) throws MultiformatException {
    if (message.length > MAX_MESSAGE_BYTES) {
      throw new MultiformatException(
          Reason.TOO_LONG,
          what + " message has " + message.length + " bytes, more than " + MAX_MESSAGE_BYTES);
    }
    ByteBuffer in = ByteBuffer.wrap(message);
    try {
      expectTag(in, TAG_TYPE, "field 1 (Type)");
      long type = UnsignedVarint.read(in);
      if (type != TYPE_ED25519) {
        if (type < TYPE_NAMES.length) {
          throw new MultiformatException(
              Reason.UNSUPPORTED,
              "key type " + TYPE_NAMES[(int) type] + " is not supported, only Ed25519");
        }
        throw new MultiformatException(Reason.MALFORMED, "unknown key type " + type);
      }
      expectTag(in, TAG_DATA, "field 2 (Data)");
      int length = UnsignedVarint.readLength(in, MAX_MESSAGE_BYTES);
      if (length != in.remaining()) {
        throw new MultiformatException(
            Reason.MALFORMED,
            (in.remaining() - length) + " bytes follow field 2 (Data); no other field may");
      }
      byte[] data = new byte[length];
      in.get(data);
      return data;
    } catch (MultiformatException e) {
      throw e.withContext(what + " protobuf");
    }
  }

  private static void expectTag(ByteBuffer in, int tag, String field) throws MultiformatException {
    if (!in.hasRemaining()) {
      throw new MultiformatException(Reason.TRUNCATED, "ends before " + field);
    }
    int found = in.get() & 0xff;
    if (found != tag) {
      throw new MultiformatException(
          Reason.MALFORMED,
          String.format(
              "expected %s (tag 0x%02x) at byte %d, found 0x%02x",
              field, tag, in.position() - 1, found));
    }
  }
}
