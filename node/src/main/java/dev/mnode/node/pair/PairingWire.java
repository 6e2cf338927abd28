package dev.mnode.node.pair;

import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.PairingSession;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.node.pair.PairingException.Reason;
import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The wire format of {@code /mnode/pair/1.0.0}. Every message is one frame:
 *
 * <pre>
 * frame = length (unsigned varint, 1 to 65536, minimal) | kind (1 byte) | body (length - 1 bytes)
 *
 * kind 0 HELLO   body = the Noise handshake hash as the joiner sees it (1 to 64 bytes)
 * kind 1 PAKE    body = one PairingPake message (round 1, round 2 or confirmation)
 * kind 2 SEALED  body = PairingSession ciphertext of a JOIN REQUEST, WELCOME or ACK
 * kind 3 ERROR   body = reason (1 byte: 1 no offer, 2 wrong code, 3 refused, 4 protocol, 5 closed)
 *
 * joiner                                      member
 *   HELLO, PAKE(round 1)              --&gt;
 *                                     &lt;--     PAKE(round 1), PAKE(round 2)  | ERROR
 *   PAKE(round 2), PAKE(confirm)      --&gt;
 *                                     &lt;--     PAKE(confirm)                 | ERROR
 *   SEALED("join-request")            --&gt;
 *                                     &lt;--     SEALED("welcome")             | ERROR
 *   SEALED("ack")                     --&gt;
 *
 * join request = 01 | u16 name length | name (UTF-8) | u16 prekey length | prekey
 * welcome      = 01 | u16 id length | vault id | u16 secret length | vault secret
 *                   | u16 class count | (u16 length | class name (UTF-8))*
 *                   | u16 op count | (u32 length | membership op)*
 *                   | u16 envelope count | (u32 length | key envelope)*
 * ack          = 01
 * </pre>
 *
 * A frame longer than {@value #MAX_FRAME_BYTES} bytes, a non-minimal or overlong varint, an empty
 * frame, an unknown kind or a body that does not decode ends the stream with PROTOCOL. Stateless.
 */
final class PairingWire {
  /** The protocol id. */
  static final String PROTOCOL = "/mnode/pair/1.0.0";
  /** The longest frame, kind byte included. */
  static final int MAX_FRAME_BYTES = 64 * 1024;
  /** The longest plaintext of a sealed message. */
  static final int MAX_SEALED_PLAINTEXT = MAX_FRAME_BYTES - 1 - PairingSession.OVERHEAD;
  /** The longest handshake hash a HELLO may carry. */
  static final int MAX_HASH_BYTES = 64;

  static final byte HELLO = 0;
  static final byte PAKE = 1;
  static final byte SEALED = 2;
  static final byte ERROR = 3;

  static final String JOIN_REQUEST = "join-request";
  static final String WELCOME = "welcome";
  static final String ACK = "ack";

  private static final byte FORMAT = 1;
  private static final Reason[] ERROR_CODES = {
    null, Reason.NO_OFFER, Reason.WRONG_CODE, Reason.REFUSED, Reason.PROTOCOL, Reason.CLOSED
  };

  private PairingWire() {}

  /** One received frame. */
  record Frame(byte kind, byte[] body) {}

  static void write(P2pStream stream, byte kind, byte[] body) throws PairingException {
    int length = body.length + 1;
    if (length > MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("a pairing frame has at most " + MAX_FRAME_BYTES + " bytes, got " + length);
    }
    ByteBuffer out = ByteBuffer.allocate(3 + length);
    for (int v = length; ; v >>>= 7) {
      if (v < 0x80) {
        out.put((byte) v);
        break;
      }
      out.put((byte) ((v & 0x7f) | 0x80));
    }
    out.put(kind).put(body);
    try {
      stream.write(Arrays.copyOf(out.array(), out.position()));
    } catch (P2pException e) {
      throw network("sending a pairing message", e);
    }
  }

  static void writeError(P2pStream stream, Reason reason) {
    for (int i = 1; i < ERROR_CODES.length; i++) {
      if (ERROR_CODES[i] == reason) {
        try {
          write(stream, ERROR, new byte[] {(byte) i});
        } catch (PairingException e) {
          // Best effort: the stream is closing anyway.
        }
        return;
      }
    }
    throw new IllegalArgumentException("no wire code for " + reason);
  }

  /** Reads one frame; a closed stream is CLOSED, a bad length PROTOCOL. */
  static Frame read(P2pStream stream) throws PairingException {
    try {
      int length = 0;
      for (int i = 0; ; i++) {
        byte[] b = readOrClosed(stream, 1);
        int v = b[0] & 0xff;
        if (i == 2 && v > 0x7f || (i > 0 && v == 0)) {
          throw protocol("malformed frame length (overlong or not minimal varint)");
        }
        length |= (v & 0x7f) << (7 * i);
        if (v < 0x80) {
          break;
        }
      }
      if (length == 0) {
        throw protocol("empty pairing frame");
      }
      if (length > MAX_FRAME_BYTES) {
        throw protocol("pairing frame of " + length + " bytes is longer than the " + MAX_FRAME_BYTES + " allowed");
      }
      byte[] frame = readOrClosed(stream, length);
      if (frame[0] < HELLO || frame[0] > ERROR) {
        throw protocol("unknown pairing frame kind " + frame[0]);
      }
      return new Frame(frame[0], Arrays.copyOfRange(frame, 1, frame.length));
    } catch (P2pException e) {
      throw network("reading a pairing message", e);
    }
  }

  /** Reads a frame of {@code kind}; an ERROR frame becomes the exception it names. */
  static byte[] expect(P2pStream stream, byte kind, String what) throws PairingException {
    Frame f = read(stream);
    if (f.kind() == ERROR) {
      Reason r = f.body().length == 1 && f.body()[0] > 0 && f.body()[0] < ERROR_CODES.length
          ? ERROR_CODES[f.body()[0]] : Reason.PROTOCOL;
      throw new PairingException(r, "the peer ended pairing: " + describe(r));
    }
    if (f.kind() != kind) {
      throw protocol("expected " + what + ", got a frame of kind " + f.kind());
    }
    return f.body();
  }

  static String describe(Reason r) {
    return switch (r) {
      case NO_OFFER -> "no open pairing offer (none made, or expired, used or closed)";
      case WRONG_CODE -> "the code does not match (or the connection is relayed)";
      case REFUSED -> "the member refused the device";
      case CLOSED -> "the pairing offer closed";
      default -> "protocol error";
    };
  }

  static byte[] encode(JoinRequest r) {
    byte[] name = r.deviceName().getBytes(StandardCharsets.UTF_8);
    byte[] prekey = r.signedPrekey().toByteArray();
    return ByteBuffer.allocate(1 + 2 + name.length + 2 + prekey.length)
        .put(FORMAT).putShort((short) name.length).put(name)
        .putShort((short) prekey.length).put(prekey).array();
  }

  static JoinRequest decodeJoinRequest(byte[] b) throws PairingException {
    try {
      ByteBuffer in = ByteBuffer.wrap(b);
      format(in, "join request");
      String name = utf8(bytes16(in, JoinRequest.MAX_NAME_BYTES, "device name"), "device name");
      Bytes prekey = Bytes.copyOf(bytes16(in, JoinRequest.MAX_PREKEY_BYTES, "signed prekey"));
      end(in, "join request");
      return new JoinRequest(name, prekey);
    } catch (BufferUnderflowException e) {
      throw protocol("join request is cut short");
    } catch (IllegalArgumentException e) {
      throw protocol("join request is invalid: " + e.getMessage());
    }
  }

  static byte[] encode(Welcome w) {
    byte[] secret = w.vaultSecret().copy();
    try {
      int size = 1 + 2 + w.vaultId().length() + 2 + secret.length + 2 + 2 + 2;
      for (String c : w.classes()) {
        size += 2 + c.getBytes(StandardCharsets.UTF_8).length;
      }
      for (Bytes op : w.membershipOps()) {
        size += 4 + op.length();
      }
      for (Bytes env : w.keyEnvelopes()) {
        size += 4 + env.length();
      }
      if (size > MAX_SEALED_PLAINTEXT) {
        throw new IllegalArgumentException(
            "the welcome takes " + size + " bytes, more than the " + MAX_SEALED_PLAINTEXT + " one pairing frame holds");
      }
      ByteBuffer out = ByteBuffer.allocate(size).put(FORMAT);
      put16(out, w.vaultId().toByteArray());
      put16(out, secret);
      out.putShort((short) w.classes().size());
      for (String c : w.classes()) {
        put16(out, c.getBytes(StandardCharsets.UTF_8));
      }
      for (List<Bytes> list : List.of(w.membershipOps(), w.keyEnvelopes())) {
        out.putShort((short) list.size());
        for (Bytes item : list) {
          out.putInt(item.length()).put(item.toByteArray());
        }
      }
      return out.array();
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  static Welcome decodeWelcome(byte[] b) throws PairingException {
    try {
      ByteBuffer in = ByteBuffer.wrap(b);
      format(in, "welcome");
      Bytes vaultId = Bytes.copyOf(bytes16(in, Welcome.MAX_ID_BYTES, "vault id"));
      byte[] secret = bytes16(in, Welcome.MAX_SECRET_BYTES, "vault secret");
      SecretBytes vaultSecret = SecretBytes.copyOf(secret);
      Arrays.fill(secret, (byte) 0);
      int nClasses = count(in, Welcome.MAX_CLASSES, "classes");
      List<String> classes = new ArrayList<>();
      for (int i = 0; i < nClasses; i++) {
        classes.add(utf8(bytes16(in, Welcome.MAX_CLASS_CHARS * 4, "class name"), "class name"));
      }
      List<List<Bytes>> lists = new ArrayList<>();
      for (String what : List.of("membership operations", "key envelopes")) {
        int n = count(in, Welcome.MAX_ITEMS, what);
        List<Bytes> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          int len = in.getInt();
          if (len < 0 || len > in.remaining()) {
            throw protocol("welcome: one of the " + what + " claims " + len + " bytes, " + in.remaining() + " remain");
          }
          byte[] item = new byte[len];
          in.get(item);
          items.add(Bytes.copyOf(item));
        }
        lists.add(items);
      }
      end(in, "welcome");
      return new Welcome(vaultId, vaultSecret, classes, lists.get(0), lists.get(1));
    } catch (BufferUnderflowException e) {
      throw protocol("welcome is cut short");
    } catch (IllegalArgumentException e) {
      throw protocol("welcome is invalid: " + e.getMessage());
    }
  }

  static byte[] ack() {
    return new byte[] {FORMAT};
  }

  static void checkAck(byte[] b) throws PairingException {
    if (b.length != 1 || b[0] != FORMAT) {
      throw protocol("malformed acknowledgement");
    }
  }

  static PairingException protocol(String message) {
    return new PairingException(Reason.PROTOCOL, message);
  }

  static PairingException network(String doing, P2pException e) {
    Reason r = e.reason() == P2pException.Reason.TOO_LONG || e.reason() == P2pException.Reason.PROTOCOL_VIOLATION
        ? Reason.PROTOCOL : Reason.NETWORK;
    return new PairingException(r, doing + " failed: " + e.getMessage(), e);
  }

  private static byte[] readOrClosed(P2pStream stream, int n) throws P2pException, PairingException {
    try {
      return stream.readExactly(n);
    } catch (P2pException e) {
      if (e.reason() == P2pException.Reason.PROTOCOL_VIOLATION) {
        throw new PairingException(Reason.CLOSED, "the peer closed the pairing stream early", e);
      }
      throw e;
    }
  }

  private static void format(ByteBuffer in, String what) throws PairingException {
    byte f = in.get();
    if (f != FORMAT) {
      throw protocol(what + " has format " + f + ", expected " + FORMAT);
    }
  }

  private static void end(ByteBuffer in, String what) throws PairingException {
    if (in.hasRemaining()) {
      throw protocol(what + " has " + in.remaining() + " trailing bytes");
    }
  }

  private static int count(ByteBuffer in, int max, String what) throws PairingException {
    int n = Short.toUnsignedInt(in.getShort());
    if (n > max) {
      throw protocol("welcome has " + n + " " + what + ", at most " + max + " allowed");
    }
    return n;
  }

  private static byte[] bytes16(ByteBuffer in, int max, String what) throws PairingException {
    int n = Short.toUnsignedInt(in.getShort());
    if (n > max || n > in.remaining()) {
      throw protocol(what + " claims " + n + " bytes; at most " + Math.min(max, in.remaining()) + " possible");
    }
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }

  private static void put16(ByteBuffer out, byte[] b) {
    out.putShort((short) b.length).put(b);
  }

  private static String utf8(byte[] b, String what) throws PairingException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      throw protocol(what + " is not UTF-8");
    }
  }
}
