package dev.mnode.p2p.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One yamux frame (hashicorp/yamux spec.md, version 0): a 12-byte header, then for data frames
 * {@code length} bytes of payload.
 *
 * <pre>
 *    0      1      2      3      4      5      6      7      8      9     10     11
 *   +------+------+------+------+------+------+------+------+------+------+------+------+
 *   | ver  | type |  flags (BE) |      stream id (BE)       |        length (BE)        |
 *   +------+------+------+------+------+------+------+------+------+------+------+------+
 *   type: 0 data, 1 window update, 2 ping, 3 go away
 *   flags: 1 SYN, 2 ACK, 4 FIN, 8 RST
 *   length: data bytes (data), window delta (window update), opaque value (ping), code (go away)
 * </pre>
 *
 * Immutable; {@code data} is owned by the frame and never changed.
 */
final class YamuxFrame {
  static final int HEADER_BYTES = 12;
  static final int VERSION = 0;

  static final int TYPE_DATA = 0;
  static final int TYPE_WINDOW_UPDATE = 1;
  static final int TYPE_PING = 2;
  static final int TYPE_GO_AWAY = 3;

  static final int FLAG_SYN = 1;
  static final int FLAG_ACK = 2;
  static final int FLAG_FIN = 4;
  static final int FLAG_RST = 8;

  static final int GO_AWAY_NORMAL = 0;
  static final int GO_AWAY_PROTOCOL_ERROR = 1;
  static final int GO_AWAY_INTERNAL_ERROR = 2;

  private static final byte[] NONE = new byte[0];

  final int type;
  final int flags;
  final int streamId;
  /** The header's length field, unsigned: a data length, window delta, ping value or code. */
  final long length;
  final byte[] data;

  YamuxFrame(int type, int flags, int streamId, long length, byte[] data) {
    this.type = type;
    this.flags = flags;
    this.streamId = streamId;
    this.length = length;
    this.data = data;
  }

  /** Returns a frame without payload. */
  static YamuxFrame control(int type, int flags, int streamId, long length) {
    return new YamuxFrame(type, flags, streamId, length, NONE);
  }

  boolean has(int flag) {
    return (flags & flag) != 0;
  }

  /** Returns the frame's bytes in a new buffer from {@code alloc}. */
  ByteBuf encode(ByteBufAllocator alloc) {
    ByteBuf out = alloc.buffer(HEADER_BYTES + data.length);
    out.writeByte(VERSION)
        .writeByte(type)
        .writeShort(flags)
        .writeInt(streamId)
        .writeInt((int) (type == TYPE_DATA ? data.length : length))
        .writeBytes(data);
    return out;
  }

  @Override
  public String toString() {
    return "yamux frame type " + type + " flags " + flags + " stream " + streamId + " length "
        + length;
  }
}
