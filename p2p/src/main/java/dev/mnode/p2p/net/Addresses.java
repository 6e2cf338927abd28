package dev.mnode.p2p.net;

import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.MultiaddrComponent;
import dev.mnode.p2p.MultiaddrProtocol;
import dev.mnode.p2p.multiformats.MultiformatException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.OptionalInt;

/** Converts between TCP multiaddrs and socket addresses. Stateless. */
final class Addresses {
  private Addresses() {}

  /**
   * Returns the socket address of {@code /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>[/p2p/...]}; a
   * name is left unresolved for the transport to resolve.
   *
   * @throws IllegalArgumentException for any other address
   */
  static InetSocketAddress toSocketAddress(Multiaddr address) {
    MultiaddrComponent host =
        address.host().orElseThrow(() -> new IllegalArgumentException(address + " has no host"));
    OptionalInt port = address.tcpPort();
    if (port.isEmpty()) {
      throw new IllegalArgumentException(address + " is not a TCP address");
    }
    if (host.protocol() == MultiaddrProtocol.DNSADDR) {
      throw new IllegalArgumentException(address + ": /dnsaddr is not supported, give an IP");
    }
    if (host.protocol() == MultiaddrProtocol.IP4 || host.protocol() == MultiaddrProtocol.IP6) {
      return new InetSocketAddress(host.valueText(), port.getAsInt());
    }
    return InetSocketAddress.createUnresolved(host.valueText(), port.getAsInt());
  }

  /** Returns {@code /ip4|ip6/<address>/tcp/<port>} for a resolved socket address. */
  static Multiaddr toMultiaddr(InetSocketAddress address) {
    String ip = address.getAddress().getHostAddress();
    int zone = ip.indexOf('%');
    if (zone >= 0) {
      ip = ip.substring(0, zone);
    }
    String kind = address.getAddress() instanceof Inet6Address ? "ip6" : "ip4";
    try {
      return Multiaddr.parse("/" + kind + "/" + ip + "/tcp/" + address.getPort());
    } catch (MultiformatException e) {
      throw new IllegalStateException("socket address " + address + " as a multiaddr", e);
    }
  }
}
