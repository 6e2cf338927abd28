package dev.mnode.p2p.mdns;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;

/**
 * A snapshot of the mDNS interface's addresses and prefixes: what this node announces, and which
 * senders count as on the link (RFC 6762 section 11: a responder answers only its local link).
 * Immutable.
 */
record LinkState(List<InetAddress> addresses, List<Integer> prefixLengths) {
  LinkState {
    addresses = List.copyOf(addresses);
    prefixLengths = List.copyOf(prefixLengths);
    if (addresses.size() != prefixLengths.size()) {
      throw new IllegalArgumentException("one prefix length per address");
    }
  }

  /** Reads the current addresses of {@code nic}; an interface that went away has none. */
  static LinkState of(String interfaceName) {
    try {
      NetworkInterface nic = NetworkInterface.getByName(interfaceName);
      if (nic == null) {
        return new LinkState(List.of(), List.of());
      }
      List<InterfaceAddress> ias = nic.getInterfaceAddresses();
      return new LinkState(
          ias.stream().map(InterfaceAddress::getAddress).toList(),
          ias.stream().map(ia -> (int) ia.getNetworkPrefixLength()).toList());
    } catch (SocketException e) {
      return new LinkState(List.of(), List.of());
    }
  }

  /**
   * Returns whether {@code sender} is on this link: inside one of the interface's prefixes, or an
   * IPv6 link-local address.
   */
  boolean onLink(InetAddress sender) {
    if (sender instanceof Inet6Address && sender.isLinkLocalAddress()) {
      return true;
    }
    byte[] s = sender.getAddress();
    for (int i = 0; i < addresses.size(); i++) {
      byte[] a = addresses.get(i).getAddress();
      if (a.length == s.length && samePrefix(a, s, prefixLengths.get(i))) {
        return true;
      }
    }
    return false;
  }

  private static boolean samePrefix(byte[] a, byte[] b, int bits) {
    int full = Math.min(bits, a.length * 8) / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    int rest = Math.min(bits, a.length * 8) % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest) & 0xff;
    return (a[full] & mask) == (b[full] & mask);
  }
}
