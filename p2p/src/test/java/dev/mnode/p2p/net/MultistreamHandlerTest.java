package dev.mnode.p2p.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import dev.mnode.p2p.multiformats.UnsignedVarint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** multistream-select on a connection, without sockets. */
class MultistreamHandlerTest {
  /** Records the events fired past the handler. */
  static final class Events extends ChannelInboundHandlerAdapter {
    final List<Object> events = new ArrayList<>();

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      events.add(evt);
    }
  }

  private static byte[] read(EmbeddedChannel ch) {
    ByteBuf out = ch.readOutbound();
    try {
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }

  @Test
  void encode_matchesTheSpecExample() {
    // multistream README: "/echo/1.0" is 0a 2f 65 63 68 6f 2f 31 2e 30 0a
    assertArrayEquals(
        new byte[] {0x0a, '/', 'e', 'c', 'h', 'o', '/', '1', '.', '0', '\n'},
        Multistream.encode("/echo/1.0"));
  }

  @Test
  void initiator_acceptedProposal_firesEventAndPassesTheRestOn() {
    Events events = new Events();
    EmbeddedChannel ch = new EmbeddedChannel(new MultistreamHandler(true, "/noise"), events);
    assertArrayEquals(Multistream.encode(Multistream.HEADER, "/noise"), read(ch));
    byte[] answer = Multistream.encode(Multistream.HEADER, "/noise");
    ch.writeInbound(Unpooled.wrappedBuffer(answer, new byte[] {1, 2, 3}));
    assertEquals(List.of(new UpgradeEvent.ProtocolSelected("/noise")), events.events);
    assertNull(ch.pipeline().get(MultistreamHandler.class));
    ByteBuf rest = ch.readInbound();
    assertArrayEquals(new byte[] {1, 2, 3}, ByteBufUtil.getBytes(rest));
    rest.release();
    assertFalse(ch.finishAndReleaseAll());
  }

  @Test
  void initiator_na_isUnsupportedProtocol() {
    EmbeddedChannel ch = new EmbeddedChannel(new MultistreamHandler(true, "/noise"));
    read(ch);
    DecoderException e =
        assertThrows(
            DecoderException.class,
            () -> ch.writeInbound(Unpooled.wrappedBuffer(Multistream.encode(Multistream.HEADER, "na"))));
    assertEquals(Reason.UNSUPPORTED_PROTOCOL, ((P2pException) e.getCause()).reason());
    ch.finishAndReleaseAll();
  }

  @Test
  void responder_answersNaAndLs_thenAccepts() {
    Events events = new Events();
    EmbeddedChannel ch = new EmbeddedChannel(new MultistreamHandler(false, "/yamux/1.0.0"), events);
    assertArrayEquals(Multistream.encode(Multistream.HEADER), read(ch));
    ch.writeInbound(Unpooled.wrappedBuffer(Multistream.encode(Multistream.HEADER, "/mplex/6.7.0", "ls")));
    assertArrayEquals(Multistream.encode("na"), read(ch));
    assertArrayEquals(Multistream.encodeList(List.of("/yamux/1.0.0")), read(ch));
    assertTrue(events.events.isEmpty());
    ch.writeInbound(Unpooled.wrappedBuffer(Multistream.encode("/yamux/1.0.0")));
    assertArrayEquals(Multistream.encode("/yamux/1.0.0"), read(ch));
    assertInstanceOf(UpgradeEvent.ProtocolSelected.class, events.events.get(0));
    assertFalse(ch.finishAndReleaseAll());
  }

  @Test
  void lsAnswer_roundTrips() throws Exception {
    byte[] encoded = Multistream.encodeList(List.of("/a/1", "/b/2"));
    ByteBuf buf = Unpooled.wrappedBuffer(encoded);
    byte[] body = Multistream.readFrame(buf, Multistream.MAX_LS_BYTES).orElseThrow();
    assertEquals(List.of("/a/1", "/b/2"), Multistream.decodeList(body));
  }

  @Test
  void responder_wrongHeader_tooLongMessage_endlessProposals_areRejected() {
    EmbeddedChannel a = new EmbeddedChannel(new MultistreamHandler(false, "/noise"));
    DecoderException wrong =
        assertThrows(DecoderException.class,
            () -> a.writeInbound(Unpooled.wrappedBuffer(Multistream.encode("/multistream/2.0.0"))));
    assertEquals(Reason.PROTOCOL_VIOLATION, ((P2pException) wrong.getCause()).reason());
    a.finishAndReleaseAll();

    EmbeddedChannel b = new EmbeddedChannel(new MultistreamHandler(false, "/noise"));
    byte[] tooLong = UnsignedVarint.encode(Multistream.MAX_MESSAGE_BYTES + 1);
    DecoderException longer =
        assertThrows(DecoderException.class, () -> b.writeInbound(Unpooled.wrappedBuffer(tooLong)));
    assertEquals(Reason.TOO_LONG, ((P2pException) longer.getCause()).reason());
    b.finishAndReleaseAll();

    EmbeddedChannel c = new EmbeddedChannel(new MultistreamHandler(false, "/noise"));
    c.writeInbound(Unpooled.wrappedBuffer(Multistream.encode(Multistream.HEADER)));
    DecoderException endless =
        assertThrows(DecoderException.class, () -> {
          for (int i = 0; i <= MultistreamHandler.MAX_PROPOSALS; i++) {
            c.writeInbound(Unpooled.wrappedBuffer(Multistream.encode("/x/" + i)));
          }
        });
    assertEquals(Reason.PROTOCOL_VIOLATION, ((P2pException) endless.getCause()).reason());
    c.finishAndReleaseAll();

    EmbeddedChannel d = new EmbeddedChannel(new MultistreamHandler(false, "/noise"));
    DecoderException noNewline =
        assertThrows(DecoderException.class,
            () -> d.writeInbound(Unpooled.wrappedBuffer(new byte[] {3, 'a', 'b', 'c'})));
    assertEquals(Reason.PROTOCOL_VIOLATION, ((P2pException) noNewline.getCause()).reason());
    d.finishAndReleaseAll();
  }
}
