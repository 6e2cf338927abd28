package dev.mnode.p2p.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

/** The yamux frame layout and its limits, without sockets. */
class YamuxFrameDecoderTest {
  @Test
  void header_matchesTheSpecLayout() {
    ByteBuf b = YamuxFrame.control(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 3, 0)
        .encode(ByteBufAllocator.DEFAULT);
    byte[] bytes = new byte[b.readableBytes()];
    b.readBytes(bytes);
    b.release();
    assertArrayEquals(new byte[] {0, 1, 0, 1, 0, 0, 0, 3, 0, 0, 0, 0}, bytes);
  }

  @Test
  void dataFrame_splitAcrossReads_isReassembled() {
    EmbeddedChannel ch = new EmbeddedChannel(new YamuxFrameDecoder(16));
    byte[] frame = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 3, 'a', 'b', 'c'};
    ch.writeInbound(Unpooled.wrappedBuffer(frame, 0, 7));
    assertNull(ch.readInbound());
    ch.writeInbound(Unpooled.wrappedBuffer(frame, 7, 8));
    YamuxFrame f = ch.readInbound();
    assertEquals(1, f.streamId);
    assertArrayEquals(new byte[] {'a', 'b', 'c'}, f.data);
    ch.finishAndReleaseAll();
  }

  private static Reason reject(byte[] header) {
    EmbeddedChannel ch = new EmbeddedChannel(new YamuxFrameDecoder(16));
    DecoderException e =
        assertThrows(DecoderException.class, () -> ch.writeInbound(Unpooled.wrappedBuffer(header)));
    ch.finishAndReleaseAll();
    return ((P2pException) e.getCause()).reason();
  }

  @Test
  void badVersion_unknownType_andOversizedData_areRejected() {
    assertEquals(Reason.PROTOCOL_VIOLATION, reject(new byte[] {1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}));
    assertEquals(Reason.PROTOCOL_VIOLATION, reject(new byte[] {0, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}));
    // 17 bytes announced against a maximum of 16: refused before any payload is buffered.
    assertEquals(Reason.TOO_LONG, reject(new byte[] {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 17}));
    assertEquals(Reason.TOO_LONG, reject(new byte[] {0, 0, 0, 0, 0, 0, 0, 1, -1, -1, -1, -1}));
  }
}
