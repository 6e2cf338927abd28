package dev.mnode.p2p.net;

import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import dev.mnode.p2p.multiformats.MultiformatException;
import dev.mnode.p2p.multiformats.UnsignedVarint;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * multistream-select 1.0 messages: each is a UTF-8 line prefixed by its length, newline included.
 *
 * <pre>
 *   +------------------+---------------------------+------+
 *   | length (uvarint) | UTF-8 text (no newline)   | 0x0a |
 *   +------------------+---------------------------+------+
 *            length counts the text and the newline
 *   e.g. 13 "/multistream/1.0.0" is  13 2f 6d ... 30 0a
 * </pre>
 *
 * The exchange: both sides send the header {@code /multistream/1.0.0}; the initiator proposes a
 * protocol id; the responder echoes it (accepted) or answers {@code na}. {@code ls} asks the
 * responder for its protocols, answered in one message holding each id as a message of its own,
 * then a newline. Stateless.
 */
final class Multistream {
  static final String HEADER = "/multistream/1.0.0";
  static final String NA = "na";
  static final String LS = "ls";

  /** The longest message, newline included, except an {@code ls} answer. */
  static final int MAX_MESSAGE_BYTES = 1024;

  /** The longest {@code ls} answer read. */
  static final int MAX_LS_BYTES = 64 * 1024;

  /** The longest protocol id a host serves (a message of it must fit {@link #MAX_MESSAGE_BYTES}). */
  static final int MAX_PROTOCOL_BYTES = 1000;

  private Multistream() {}

  /** Returns the bytes of one message holding {@code text}. */
  static byte[] encode(String text) {
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] length = UnsignedVarint.encode(body.length);
    byte[] out = new byte[length.length + body.length];
    System.arraycopy(length, 0, out, 0, length.length);
    System.arraycopy(body, 0, out, length.length, body.length);
    return out;
  }

  /** Returns the bytes of several messages, one after another. */
  static byte[] encode(String... texts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String t : texts) {
      out.writeBytes(encode(t));
    }
    return out.toByteArray();
  }

  /** Returns the {@code ls} answer listing {@code protocols}. */
  static byte[] encodeList(List<String> protocols) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (String p : protocols) {
      body.writeBytes(encode(p));
    }
    body.write('\n');
    byte[] bytes = body.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(UnsignedVarint.encode(bytes.length));
    out.writeBytes(bytes);
    return out.toByteArray();
  }

  /** Returns whether {@code protocol} may be offered: non-empty, short, one line. */
  static boolean isValidProtocol(String protocol) {
    return !protocol.isEmpty()
        && protocol.indexOf('\n') < 0
        && protocol.getBytes(StandardCharsets.UTF_8).length <= MAX_PROTOCOL_BYTES;
  }

  /**
   * Reads one whole message body (newline included) from {@code in} if it is all there, moving the
   * reader index past it; returns empty and leaves the index if more bytes are needed.
   *
   * @throws P2pException TOO_LONG past {@code max}, PROTOCOL_VIOLATION for a bad length
   */
  static Optional<byte[]> readFrame(ByteBuf in, int max) throws P2pException {
    int start = in.readerIndex();
    int available = Math.min(in.readableBytes(), UnsignedVarint.MAX_BYTES);
    byte[] head = new byte[available];
    in.getBytes(start, head);
    ByteBuffer headBuffer = ByteBuffer.wrap(head);
    long length;
    try {
      length = UnsignedVarint.read(headBuffer);
    } catch (MultiformatException e) {
      if (e.reason() == MultiformatException.Reason.TRUNCATED) {
        return Optional.empty();
      }
      throw new P2pException(
          Reason.PROTOCOL_VIOLATION, "multistream-select message length: " + e.getMessage(), e);
    }
    if (length > max) {
      throw new P2pException(
          Reason.TOO_LONG,
          "multistream-select message of " + length + " bytes, more than " + max);
    }
    int prefix = headBuffer.position();
    if (in.readableBytes() < prefix + length) {
      return Optional.empty();
    }
    byte[] body = new byte[(int) length];
    in.getBytes(start + prefix, body);
    in.readerIndex(start + prefix + (int) length);
    return Optional.of(body);
  }

  /**
   * Returns the text of a message body, without its newline.
   *
   * @throws P2pException PROTOCOL_VIOLATION if it does not end in a newline
   */
  static String text(byte[] body) throws P2pException {
    if (body.length == 0 || body[body.length - 1] != '\n') {
      throw new P2pException(
          Reason.PROTOCOL_VIOLATION, "multistream-select message does not end in a newline");
    }
    return new String(body, 0, body.length - 1, StandardCharsets.UTF_8);
  }

  /**
   * Returns the protocol ids of an {@code ls} answer body: messages one after another, with or
   * without a final newline.
   */
  static List<String> decodeList(byte[] body) throws P2pException {
    ByteBuffer in = ByteBuffer.wrap(body);
    List<String> out = new ArrayList<>();
    while (in.hasRemaining()) {
      if (in.remaining() == 1 && in.get(in.position()) == '\n') {
        break;
      }
      int length;
      try {
        length = UnsignedVarint.readLength(in, in.remaining());
      } catch (MultiformatException e) {
        throw new P2pException(
            Reason.PROTOCOL_VIOLATION, "multistream-select ls answer: " + e.getMessage(), e);
      }
      byte[] item = new byte[length];
      in.get(item);
      out.add(text(item));
    }
    return out;
  }
}
