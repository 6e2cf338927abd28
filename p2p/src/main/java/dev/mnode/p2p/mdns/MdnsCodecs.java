package dev.mnode.p2p.mdns;

import io.netty.channel.AddressedEnvelope;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsResponse;

/**
 * Netty's DNS decoders and encoders, each taking only its own kind of message, so that all four can
 * sit in one pipeline (mDNS sends queries and responses through one socket). As they come, each
 * matches any datagram or any addressed envelope.
 *
 * <p>Netty's decoders bound a name to 255 bytes and 127 compression pointers, a label to 63 bytes
 * and a section to 4,096 records, and fail with an exception that {@code MdnsHandler} counts as a
 * drop; {@link PacketGuard} has already bounded the packet to 9,000 bytes and 64 records.
 */
final class MdnsCodecs {
  private MdnsCodecs() {}

  /** Decodes queries (QR = 0) into {@code DatagramDnsQuery}. */
  static final class QueryDecoder extends DatagramDnsQueryDecoder {
    @Override
    public boolean acceptInboundMessage(Object msg) throws Exception {
      return msg instanceof DatagramPacket p && !PacketGuard.isResponse(p.content());
    }
  }

  /** Decodes responses (QR = 1) into {@code DatagramDnsResponse}. */
  static final class ResponseDecoder extends DatagramDnsResponseDecoder {
    @Override
    public boolean acceptInboundMessage(Object msg) throws Exception {
      return msg instanceof DatagramPacket p && PacketGuard.isResponse(p.content());
    }
  }

  /** Encodes addressed queries, and nothing else. */
  static final class QueryEncoder extends DatagramDnsQueryEncoder {
    @Override
    public boolean acceptOutboundMessage(Object msg) {
      return msg instanceof AddressedEnvelope<?, ?> e && e.content() instanceof DnsQuery;
    }
  }

  /** Encodes addressed responses, and nothing else. */
  static final class ResponseEncoder extends DatagramDnsResponseEncoder {
    @Override
    public boolean acceptOutboundMessage(Object msg) {
      return msg instanceof AddressedEnvelope<?, ?> e && e.content() instanceof DnsResponse;
    }
  }
}
