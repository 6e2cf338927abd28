package dev.mnode.p2p.mdns;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * The last inbound handler: hands decoded queries and responses to the service, releases them, and
 * turns every exception of the pipeline (a decoder's, the service's) into a counted drop, so none
 * leaves it. Confined to the channel's event loop.
 */
final class MdnsHandler extends ChannelInboundHandlerAdapter {
  /** What the handler delivers. Called on the event loop. */
  interface Events extends PacketGuard.Drops {
    void query(DatagramDnsQuery query);

    void response(DatagramDnsResponse response);
  }

  private final Events events;

  MdnsHandler(Events events) {
    this.events = events;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof DatagramDnsQuery q) {
        events.query(q);
      } else if (msg instanceof DatagramDnsResponse r) {
        events.response(r);
      } else {
        events.dropped("undecoded " + msg.getClass().getSimpleName());
      }
    } catch (RuntimeException e) {
      events.dropped("failed to handle: " + e);
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable root = cause.getCause() != null ? cause.getCause() : cause;
    events.dropped("malformed: " + root.getClass().getSimpleName() + ": " + root.getMessage());
  }
}
