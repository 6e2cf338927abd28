package dev.mnode.p2p.mdns;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The first check of every inbound packet, before any DNS decoding: drops (releases and counts)
 * a packet that is shorter than a DNS header or longer than {@link #MAX_PACKET_BYTES}, announces
 * more than {@link #MAX_RECORDS} questions and records in its header, has a non-zero opcode or
 * response code (RFC 6762 section 18.3 and 18.11 ask for both to be ignored), comes from a sender
 * that is not on the interface's link, or is a response from another port than the mDNS port (RFC
 * 6762 section 11). Everything else goes on unchanged.
 *
 * <pre>
 *   DNS header (RFC 1035 section 4.1.1), big-endian 16-bit fields:
 *   0      2       4         6         8         10        12
 *   +------+-------+---------+---------+---------+---------+
 *   |  ID  | flags | QDCOUNT | ANCOUNT | NSCOUNT | ARCOUNT |
 *   +------+-------+---------+---------+---------+---------+
 *   flags: QR(1) OPCODE(4) AA(1) TC(1) RD(1) RA(1) Z(1) AD(1) CD(1) RCODE(4)
 * </pre>
 *
 * <p>Confined to the channel's event loop.
 */
final class PacketGuard extends ChannelInboundHandlerAdapter {
  /** The largest mDNS packet, header included (RFC 6762 section 17). */
  static final int MAX_PACKET_BYTES = 9000;

  /** The DNS header size. */
  static final int HEADER_BYTES = 12;

  /**
   * The most questions and records of all sections together in one accepted message. A libp2p
   * response holds a few per address (PTR, TXT, SRV per port, A or AAAA per address).
   */
  static final int MAX_RECORDS = 64;

  /** Told about every dropped packet, with the reason. */
  interface Drops {
    void dropped(String reason);
  }

  private final Predicate<InetAddress> onLink;
  private final int mdnsPort;
  private final Drops drops;

  PacketGuard(Predicate<InetAddress> onLink, int mdnsPort, Drops drops) {
    this.onLink = onLink;
    this.mdnsPort = mdnsPort;
    this.drops = drops;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof DatagramPacket p)) {
      ReferenceCountUtil.release(msg);
      drops.dropped("not a datagram");
      return;
    }
    String reason = check(p);
    if (reason != null) {
      p.release();
      drops.dropped(reason);
      return;
    }
    ctx.fireChannelRead(p);
  }

  private @Nullable String check(DatagramPacket p) {
    ByteBuf b = p.content();
    int n = b.readableBytes();
    if (n < HEADER_BYTES) {
      return "shorter than a DNS header: " + n + " bytes";
    }
    if (n > MAX_PACKET_BYTES) {
      return "longer than " + MAX_PACKET_BYTES + " bytes";
    }
    int at = b.readerIndex();
    int flags = b.getUnsignedShort(at + 2);
    if ((flags >> 11 & 0xf) != 0 || (flags & 0xf) != 0) {
      return "non-zero opcode or response code";
    }
    int records = 0;
    for (int i = 0; i < 4; i++) {
      records += b.getUnsignedShort(at + 4 + 2 * i);
    }
    if (records > MAX_RECORDS) {
      return records + " records, more than " + MAX_RECORDS;
    }
    if (p.sender() == null || !onLink.test(p.sender().getAddress())) {
      return "sender not on the link";
    }
    if (isResponse(b) && p.sender().getPort() != mdnsPort) {
      return "response from port " + p.sender().getPort();
    }
    return null;
  }

  /** Returns whether the DNS message in {@code b} (at least a header) is a response (QR = 1). */
  static boolean isResponse(ByteBuf b) {
    return (b.getUnsignedByte(b.readerIndex() + 2) & 0x80) != 0;
  }
}
