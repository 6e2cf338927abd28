package dev.mnode.p2p.mdns;

import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.MultiaddrComponent;
import dev.mnode.p2p.MultiaddrProtocol;
import dev.mnode.p2p.PeerId;
import dev.mnode.p2p.multiformats.MultiformatException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which addresses are announced to a link, and which announced addresses are kept. Stateless.
 *
 * <p>Announced: TCP addresses on an IP that belongs to the mDNS interface; an unspecified listen
 * address ({@code 0.0.0.0}, {@code ::}) stands for each of the interface's addresses of its family.
 * Loopback addresses only when configured. IPv6 link-local addresses are left out: a multiaddr has
 * no zone, so a peer could not dial them.
 *
 * <p>Kept on receipt: TCP addresses on an IP that is neither unspecified nor multicast; loopback
 * addresses only from a sender on this machine (a LAN peer's loopback address would point a dial
 * at our own services).
 */
final class LanAddresses {
  /** The prefix of a TXT string carrying an address. */
  static final String DNSADDR = "dnsaddr=";

  private LanAddresses() {}

  /**
   * Returns the addresses to announce, each ending in {@code /p2p/<self>}, distinct, at most
   * {@code max}, each short enough for one TXT string.
   */
  static List<Multiaddr> toAnnounce(
      List<Multiaddr> listen,
      PeerId self,
      List<InetAddress> interfaceAddresses,
      boolean announceLoopback,
      int max) {
    Set<Multiaddr> out = new LinkedHashSet<>();
    for (Multiaddr a : listen) {
      Optional<InetAddress> ip = ipOf(a);
      if (ip.isEmpty() || a.tcpPort().isEmpty()) {
        continue;
      }
      List<InetAddress> hosts = new ArrayList<>();
      if (ip.get().isAnyLocalAddress()) {
        for (InetAddress i : interfaceAddresses) {
          if (sameFamily(i, ip.get())) {
            hosts.add(i);
          }
        }
      } else if (ip.get().isLoopbackAddress() || interfaceAddresses.contains(ip.get())) {
        hosts.add(ip.get());
      }
      for (InetAddress h : hosts) {
        if ((h.isLoopbackAddress() && !announceLoopback) || h.isLinkLocalAddress()) {
          continue;
        }
        withHost(a, h)
            .flatMap(m -> withPeer(m, self))
            .filter(m -> (DNSADDR + m).getBytes(StandardCharsets.UTF_8).length
                <= TxtStrings.MAX_STRING_BYTES)
            .ifPresent(out::add);
      }
    }
    return out.stream().limit(max).toList();
  }

  /** Returns whether an announced address is kept, given whether its sender is on this machine. */
  static boolean acceptable(Multiaddr address, boolean senderIsLocal) {
    Optional<InetAddress> ip = ipOf(address);
    if (ip.isEmpty() || address.tcpPort().isEmpty()) {
      return false;
    }
    InetAddress h = ip.get();
    if (h.isAnyLocalAddress() || h.isMulticastAddress()) {
      return false;
    }
    return !h.isLoopbackAddress() || senderIsLocal;
  }

  /** Returns the IP of the first host component if it is {@code /ip4} or {@code /ip6}. */
  static Optional<InetAddress> ipOf(Multiaddr address) {
    Optional<MultiaddrComponent> host = address.host();
    if (host.isEmpty()
        || (host.get().protocol() != MultiaddrProtocol.IP4
            && host.get().protocol() != MultiaddrProtocol.IP6)) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByAddress(host.get().value().toByteArray()));
    } catch (java.net.UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static boolean sameFamily(InetAddress a, InetAddress b) {
    return (a instanceof Inet4Address && b instanceof Inet4Address)
        || (a instanceof Inet6Address && b instanceof Inet6Address);
  }

  private static Optional<Multiaddr> withHost(Multiaddr a, InetAddress host) {
    String text = host.getHostAddress();
    int zone = text.indexOf('%');
    if (zone >= 0) {
      text = text.substring(0, zone);
    }
    MultiaddrProtocol kind =
        host instanceof Inet6Address ? MultiaddrProtocol.IP6 : MultiaddrProtocol.IP4;
    try {
      MultiaddrComponent replacement = MultiaddrComponent.parse(kind, text);
      List<MultiaddrComponent> parts = new ArrayList<>(a.components());
      for (int i = 0; i < parts.size(); i++) {
        MultiaddrProtocol p = parts.get(i).protocol();
        if (p == MultiaddrProtocol.IP4 || p == MultiaddrProtocol.IP6) {
          parts.set(i, replacement);
          return Optional.of(new Multiaddr(parts));
        }
      }
      return Optional.empty();
    } catch (MultiformatException e) {
      throw new IllegalStateException("interface address " + text + " as a multiaddr", e);
    }
  }

  private static Optional<Multiaddr> withPeer(Multiaddr a, PeerId self) {
    try {
      return Optional.of(a.withPeerId(self));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // it names another peer, or would grow too long
    }
  }
}
