package dev.mnode.node.peer;

import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pStream;
import java.io.ByteArrayOutputStream;

/**
 * The frames of {@code /mnode/sync/1.0.0}: {@code uvarint(length) | type (1 byte) | body}, where
 * length counts the type byte and the body. A frame longer than {@link #MAX_FRAME}, an unknown type
 * or a truncated frame is a protocol error: the stream is reset and the peer's connection closed.
 *
 * <p>Writes are gathered in a buffer and flushed in pieces of about {@link #FLUSH_BYTES}, so many
 * small bundles do not each cost a yamux frame.
 */
final class SyncWire {
  /** The protocol id. */
  static final String PROTOCOL = "/mnode/sync/1.0.0";

  /** The longest frame: a snapshot part (about 4 MiB) with room to spare. */
  static final int MAX_FRAME = 8 << 20;

  static final int FLUSH_BYTES = 64 << 10;

  enum Type {
    /** Membership heads, signed prekey and version vectors. */
    HELLO,
    /** One encoded membership operation. */
    OP,
    /** One key envelope. */
    ENVELOPE,
    /** One sealed bundle. */
    BUNDLE,
    /** Ends a phase of the round. */
    END;

    static Type of(int b) throws SyncWireException {
      if (b < 1 || b > values().length) {
        throw new SyncWireException("unknown frame type " + b);
      }
      return values()[b - 1];
    }

    int code() {
      return ordinal() + 1;
    }
  }

  record Frame(Type type, byte[] body) {}

  /** A broken frame or a peer that broke the protocol's order. */
  static final class SyncWireException extends Exception {
    SyncWireException(String message) {
      super(message);
    }
  }

  private final P2pStream stream;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private long bytesIn;
  private long bytesOut;

  SyncWire(P2pStream stream) {
    this.stream = stream;
  }

  void write(Type type, byte[] body) throws P2pException {
    if (body.length + 1 > MAX_FRAME) {
      throw new IllegalArgumentException("a sync frame of " + body.length + " bytes is over the limit");
    }
    long len = body.length + 1L;
    while (len >= 0x80) {
      out.write((int) (len & 0x7f) | 0x80);
      len >>>= 7;
    }
    out.write((int) len);
    out.write(type.code());
    out.write(body, 0, body.length);
    if (out.size() >= FLUSH_BYTES) {
      flush();
    }
  }

  void flush() throws P2pException {
    if (out.size() > 0) {
      byte[] b = out.toByteArray();
      out.reset();
      bytesOut += b.length;
      stream.write(b);
    }
  }

  /** Reads the next frame, or throws if the peer closed its side or sent a broken frame. */
  Frame read() throws P2pException, SyncWireException {
    long len = 0;
    for (int shift = 0; ; shift += 7) {
      if (shift > 28) {
        throw new SyncWireException("frame length varint is too long");
      }
      byte[] one = readByte();
      len |= (long) (one[0] & 0x7f) << shift;
      if ((one[0] & 0x80) == 0) {
        if (one[0] == 0 && shift > 0) {
          throw new SyncWireException("frame length varint is not minimal");
        }
        break;
      }
    }
    if (len < 1 || len > MAX_FRAME) {
      throw new SyncWireException("frame of " + len + " bytes (limit " + MAX_FRAME + ")");
    }
    byte[] all = readExactly((int) len);
    Type t = Type.of(all[0] & 0xff);
    byte[] body = new byte[all.length - 1];
    System.arraycopy(all, 1, body, 0, body.length);
    return new Frame(t, body);
  }

  /** Reads a frame that must be of {@code type}. */
  Frame expect(Type type) throws P2pException, SyncWireException {
    Frame f = read();
    if (f.type() != type) {
      throw new SyncWireException("expected " + type + ", got " + f.type());
    }
    return f;
  }

  private byte[] readByte() throws P2pException, SyncWireException {
    return readExactly(1);
  }

  private byte[] readExactly(int n) throws P2pException, SyncWireException {
    try {
      byte[] b = stream.readExactly(n);
      bytesIn += n;
      return b;
    } catch (P2pException e) {
      if (e.reason() == P2pException.Reason.PROTOCOL_VIOLATION) {
        throw new SyncWireException("the peer closed the stream in the middle of a frame");
      }
      throw e;
    }
  }

  long bytesIn() {
    return bytesIn;
  }

  long bytesOut() {
    return bytesOut;
  }
}
