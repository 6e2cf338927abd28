package dev.mnode.p2p.net;

import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.Optional;

/**
 * multistream-select 1.0 on a connection (not a stream), to agree on one protocol: {@code /noise}
 * on TCP, {@code /yamux/1.0.0} inside Noise. The initiator proposes its one protocol; the responder
 * accepts it if it is the one it expects, answers {@code na} to others and lists it for {@code ls}.
 * When agreed it fires {@link UpgradeEvent.ProtocolSelected} and removes itself; bytes that came
 * after the agreement go on to the next handler. Message format: {@link Multistream}.
 *
 * <p>Confined to the channel's event loop.
 */
final class MultistreamHandler extends ByteToMessageDecoder {
  /** The most proposals a responder answers with {@code na} or a list before it gives up. */
  static final int MAX_PROPOSALS = 16;

  private final boolean initiator;
  private final String protocol;
  private boolean started;
  private boolean headerSeen;
  private int proposals;

  MultistreamHandler(boolean initiator, String protocol) {
    this.initiator = initiator;
    this.protocol = protocol;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start(ctx);
    super.channelActive(ctx);
  }

  private void start(ChannelHandlerContext ctx) {
    if (started) {
      return;
    }
    started = true;
    if (initiator) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(Multistream.encode(Multistream.HEADER, protocol)));
    } else {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(Multistream.encode(Multistream.HEADER)));
    }
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
    while (!ctx.isRemoved()) {
      Optional<byte[]> frame = Multistream.readFrame(in, Multistream.MAX_MESSAGE_BYTES);
      if (frame.isEmpty()) {
        return;
      }
      String message = Multistream.text(frame.get());
      if (!headerSeen) {
        if (!message.equals(Multistream.HEADER)) {
          throw new P2pException(
              Reason.PROTOCOL_VIOLATION,
              "expected the multistream-select header, got '" + excerpt(message) + "'");
        }
        headerSeen = true;
      } else if (initiator) {
        onAnswer(ctx, message);
      } else {
        onProposal(ctx, message);
      }
    }
  }

  private void onAnswer(ChannelHandlerContext ctx, String message) throws P2pException {
    if (message.equals(protocol)) {
      selected(ctx);
    } else if (message.equals(Multistream.NA)) {
      throw new P2pException(
          Reason.UNSUPPORTED_PROTOCOL, "the peer does not support " + protocol);
    } else {
      throw new P2pException(
          Reason.PROTOCOL_VIOLATION,
          "multistream-select answer to " + protocol + " was '" + excerpt(message) + "'");
    }
  }

  private void onProposal(ChannelHandlerContext ctx, String message) throws P2pException {
    if (message.equals(protocol)) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(Multistream.encode(protocol)));
      selected(ctx);
      return;
    }
    if (++proposals > MAX_PROPOSALS) {
      throw new P2pException(
          Reason.PROTOCOL_VIOLATION,
          "the peer made more than " + MAX_PROPOSALS + " multistream-select proposals");
    }
    byte[] answer =
        message.equals(Multistream.LS)
            ? Multistream.encodeList(List.of(protocol))
            : Multistream.encode(Multistream.NA);
    ctx.writeAndFlush(Unpooled.wrappedBuffer(answer));
  }

  private void selected(ChannelHandlerContext ctx) {
    ctx.fireUserEventTriggered(new UpgradeEvent.ProtocolSelected(protocol));
    ctx.pipeline().remove(this);
  }

  static String excerpt(String s) {
    return dev.mnode.p2p.multiformats.MultiformatException.excerpt(s);
  }
}
