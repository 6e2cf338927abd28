package dev.mnode.p2p.mdns;

import dev.mnode.p2p.Mdns;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * The DNS names of libp2p mDNS and the peer name. Names here are absolute, with the trailing dot
 * that Netty's codec uses, and compared without regard to ASCII case (RFC 1035 section 2.3.3).
 * Stateless.
 */
final class MdnsNames {
  /** {@code _p2p._udp.local.} */
  static final String SERVICE = Mdns.SERVICE_NAME + ".";

  /** The DNS-SD meta query name: {@code _services._dns-sd._udp.local.} */
  static final String META = "_services._dns-sd._udp.local.";

  /** The domain of host names: {@code p2p.local.} */
  static final String HOST_DOMAIN = "p2p.local.";

  /** Characters of a generated peer name; the spec asks for at least 32. */
  static final int PEER_NAME_CHARS = 32;

  /** The longest DNS label. */
  static final int MAX_LABEL_BYTES = 63;

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private MdnsNames() {}

  /** Returns a new random peer name of {@link #PEER_NAME_CHARS} lower-case letters and digits. */
  static String randomPeerName(SecureRandom random) {
    StringBuilder sb = new StringBuilder(PEER_NAME_CHARS);
    for (int i = 0; i < PEER_NAME_CHARS; i++) {
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  /** Returns {@code <peerName>._p2p._udp.local.}, the name of a peer's TXT and SRV records. */
  static String instance(String peerName) {
    return peerName + "." + SERVICE;
  }

  /** Returns {@code <peerName>.p2p.local.}, the name of a peer's A and AAAA records. */
  static String host(String peerName) {
    return peerName + "." + HOST_DOMAIN;
  }

  /** Returns whether two DNS names are equal, ignoring ASCII case and a trailing dot. */
  static boolean same(String a, String b) {
    return absolute(a).equalsIgnoreCase(absolute(b));
  }

  /**
   * Returns the peer name of an instance name {@code <peer-name>._p2p._udp.local.}, lower-cased,
   * or empty if {@code name} is not one (another service, more labels, an empty or long label).
   */
  static Optional<String> peerNameOf(String name) {
    String n = absolute(name);
    if (n.length() <= SERVICE.length()
        || !n.regionMatches(true, n.length() - SERVICE.length(), SERVICE, 0, SERVICE.length())) {
      return Optional.empty();
    }
    String label = n.substring(0, n.length() - SERVICE.length() - 1);
    if (label.isEmpty() || label.length() > MAX_LABEL_BYTES || label.indexOf('.') >= 0
        || n.charAt(label.length()) != '.') {
      return Optional.empty();
    }
    return Optional.of(label.toLowerCase(Locale.ROOT));
  }

  private static String absolute(String name) {
    return name.endsWith(".") ? name : name + ".";
  }
}
