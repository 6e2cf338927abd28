package dev.mnode.p2p.mdns;

import io.netty.channel.ChannelPipeline;
import java.net.InetAddress;
import java.util.function.Predicate;

/**
 * Builds the channel pipeline of an mDNS socket:
 *
 * <pre>
 *   inbound   DatagramPacket -&gt; PacketGuard -&gt; query decoder | response decoder -&gt; MdnsHandler
 *   outbound  DatagramDnsQuery | DatagramDnsResponse -&gt; Netty's encoders -&gt; DatagramPacket
 * </pre>
 *
 * Stateless.
 */
final class MdnsPipeline {
  private MdnsPipeline() {}

  static void install(
      ChannelPipeline p, Predicate<InetAddress> onLink, int mdnsPort, MdnsHandler.Events events) {
    p.addLast("guard", new PacketGuard(onLink, mdnsPort, events));
    p.addLast("query-decoder", new MdnsCodecs.QueryDecoder());
    p.addLast("response-decoder", new MdnsCodecs.ResponseDecoder());
    p.addLast("query-encoder", new MdnsCodecs.QueryEncoder());
    p.addLast("response-encoder", new MdnsCodecs.ResponseEncoder());
    p.addLast("mdns", new MdnsHandler(events));
  }
}
