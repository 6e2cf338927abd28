package dev.mnode.p2p.net;

import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import dev.mnode.p2p.multiformats.MultiformatException;
import dev.mnode.p2p.multiformats.UnsignedVarint;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The few protobuf (proto2/proto3 wire format) pieces libp2p messages need: writing varint and
 * length-delimited fields, and reading fields one at a time with unknown ones skipped. Reading is
 * bounded by the message it is given and fails only with PROTOCOL_VIOLATION.
 */
final class Protobuf {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private Protobuf() {}

  /** Builds a message field by field. Not thread-safe. */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer bytes(int field, byte[] value) {
      out.writeBytes(UnsignedVarint.encode(((long) field << 3) | LENGTH_DELIMITED));
      out.writeBytes(UnsignedVarint.encode(value.length));
      out.writeBytes(value);
      return this;
    }

    Writer string(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }

  /** Reads a message field by field. Not thread-safe. */
  static final class Reader {
    private final ByteBuffer in;
    private final String what;
    private int field;
    private int wireType;

    /** {@code what} names the message in errors. */
    Reader(byte[] message, String what) {
      this.in = ByteBuffer.wrap(message);
      this.what = what;
    }

    /** Moves to the next field; returns false at the end of the message. */
    boolean next() throws P2pException {
      if (!in.hasRemaining()) {
        return false;
      }
      long key = varint();
      field = (int) (key >>> 3);
      wireType = (int) (key & 7);
      if (field == 0 || key >>> 3 > Integer.MAX_VALUE) {
        throw violation("field number " + (key >>> 3) + " is invalid");
      }
      return true;
    }

    int field() {
      return field;
    }

    /** Returns the current length-delimited field's bytes. */
    byte[] bytes() throws P2pException {
      if (wireType != LENGTH_DELIMITED) {
        throw violation("field " + field + " has wire type " + wireType + ", not bytes");
      }
      try {
        int length = UnsignedVarint.readLength(in, in.remaining());
        byte[] out = new byte[length];
        in.get(out);
        return out;
      } catch (MultiformatException e) {
        throw violation("field " + field + ": " + e.getMessage());
      }
    }

    /** Returns the current length-delimited field as UTF-8 text. */
    String string() throws P2pException {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** Skips the current field, whatever its wire type. */
    void skip() throws P2pException {
      switch (wireType) {
        case VARINT -> varint();
        case FIXED64 -> skipBytes(8);
        case LENGTH_DELIMITED -> bytes();
        case FIXED32 -> skipBytes(4);
        default -> throw violation("field " + field + " has unsupported wire type " + wireType);
      }
    }

    private void skipBytes(int n) throws P2pException {
      if (in.remaining() < n) {
        throw violation("field " + field + " is cut short");
      }
      in.position(in.position() + n);
    }

    private long varint() throws P2pException {
      try {
        return UnsignedVarint.read(in);
      } catch (MultiformatException e) {
        // Protobuf varints may legally be non-minimal, but no libp2p implementation writes them.
        throw violation(e.getMessage());
      }
    }

    private P2pException violation(String detail) {
      return new P2pException(Reason.PROTOCOL_VIOLATION, what + " protobuf: " + detail);
    }
  }
}
