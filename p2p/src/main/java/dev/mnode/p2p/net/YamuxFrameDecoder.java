package dev.mnode.p2p.net;

import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the byte stream into {@link YamuxFrame}s (layout there). Fails closed: a version other than
 * 0, an unknown type, or a data frame longer than {@code maxDataBytes} is a {@link P2pException}
 * (PROTOCOL_VIOLATION or TOO_LONG) before any payload is buffered. Confined to the event loop.
 */
final class YamuxFrameDecoder extends ByteToMessageDecoder {
  private final int maxDataBytes;

  YamuxFrameDecoder(int maxDataBytes) {
    this.maxDataBytes = maxDataBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
      throws P2pException {
    try {
      decodeFrames(ctx, in, out);
    } catch (P2pException e) {
      in.skipBytes(in.readableBytes()); // fail closed: nothing after a bad frame is read
      throw e;
    }
  }

  private void decodeFrames(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
      throws P2pException {
    while (in.readableBytes() >= YamuxFrame.HEADER_BYTES) {
      int at = in.readerIndex();
      int version = in.getUnsignedByte(at);
      int type = in.getUnsignedByte(at + 1);
      int flags = in.getUnsignedShort(at + 2);
      int streamId = in.getInt(at + 4);
      long length = in.getUnsignedInt(at + 8);
      if (version != YamuxFrame.VERSION) {
        throw new P2pException(
            Reason.PROTOCOL_VIOLATION, "yamux frame has version " + version + ", not 0");
      }
      if (type > YamuxFrame.TYPE_GO_AWAY) {
        throw new P2pException(
            Reason.PROTOCOL_VIOLATION, "yamux frame has unknown type " + type);
      }
      if (type != YamuxFrame.TYPE_DATA) {
        in.skipBytes(YamuxFrame.HEADER_BYTES);
        out.add(YamuxFrame.control(type, flags, streamId, length));
        continue;
      }
      if (length > maxDataBytes) {
        throw new P2pException(
            Reason.TOO_LONG,
            "yamux data frame of " + length + " bytes on stream " + Integer.toUnsignedString(streamId)
                + " exceeds the maximum of " + maxDataBytes);
      }
      if (in.readableBytes() < YamuxFrame.HEADER_BYTES + length) {
        return;
      }
      in.skipBytes(YamuxFrame.HEADER_BYTES);
      byte[] data = new byte[(int) length];
      in.readBytes(data);
      out.add(new YamuxFrame(type, flags, streamId, length, data));
    }
  }
}
