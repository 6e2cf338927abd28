package dev.mnode.p2p;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * How mDNS discovery runs: on which interface, which multicast group and port, how often it asks,
 * and how much it keeps. Every limit is checked here against a named bound. mDNS runs only when a
 * caller starts it with a configuration; nothing in this module starts it by itself.
 *
 * @param interfaceName the network interface to join the group on and send through (for example
 *     {@code eth0}, or {@code lo} to keep all traffic on this machine); never chosen for the caller
 * @param group the multicast group: {@link #IPV4_GROUP} (224.0.0.251) or {@link #IPV6_GROUP}
 *     (ff02::fb); another multicast address only for tests and private deployments
 * @param port the UDP port, {@link #DEFAULT_PORT} (5353) on a real network
 * @param queryInterval how often to ask the network for peers; the first query goes out at start
 * @param ttl the time to live of the records this node announces, and the longest a discovered peer
 *     is kept without being heard again (whatever time to live the peer announced)
 * @param maxPeers the most peers kept at once; announcements of further peers are ignored until
 *     entries expire
 * @param maxAddressesPerPeer the most addresses kept for one discovered peer, and announced for
 *     this node
 * @param announce whether to answer queries with this node's addresses; without it the node only
 *     listens and asks
 * @param announceLoopback whether loopback listen addresses are announced; only for tests and for
 *     discovery on one machine ({@code lo}); never set it on a LAN interface
 */
public record MdnsConfig(
    String interfaceName,
    InetAddress group,
    int port,
    Duration queryInterval,
    Duration ttl,
    int maxPeers,
    int maxAddressesPerPeer,
    boolean announce,
    boolean announceLoopback) {

  /** The mDNS IPv4 group, 224.0.0.251 (RFC 6762). */
  public static final InetAddress IPV4_GROUP = address(new byte[] {(byte) 224, 0, 0, (byte) 251});

  /** The mDNS IPv6 group, ff02::fb (RFC 6762). */
  public static final InetAddress IPV6_GROUP =
      address(new byte[] {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xfb});

  /** The mDNS port. */
  public static final int DEFAULT_PORT = 5353;

  /**
   * The default query interval. The libp2p mDNS spec sets none; this is js-libp2p's default, so a
   * mixed network refreshes at one pace.
   */
  public static final Duration DEFAULT_QUERY_INTERVAL = Duration.ofSeconds(10);

  /** The default record TTL: RFC 6762 section 10 recommends 120 s for records naming a host. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(120);

  /** The shortest query interval accepted (tests use short ones). */
  public static final Duration MIN_QUERY_INTERVAL = Duration.ofMillis(100);

  /** The longest query interval and the longest TTL accepted: 75 minutes, RFC 6762's other TTL. */
  public static final Duration MAX_DURATION = Duration.ofMinutes(75);

  /** The most peers a service may be configured to keep. */
  public static final int MAX_PEERS_LIMIT = 4096;

  /** The most addresses per peer a service may be configured for. */
  public static final int MAX_ADDRESSES_LIMIT = 32;

  /** The longest interface name accepted. */
  public static final int MAX_INTERFACE_NAME_CHARS = 64;

  /** Validates every field. */
  public MdnsConfig {
    if (interfaceName.isEmpty() || interfaceName.length() > MAX_INTERFACE_NAME_CHARS) {
      throw new IllegalArgumentException(
          "interfaceName must have 1 to " + MAX_INTERFACE_NAME_CHARS + " characters, has "
              + interfaceName.length());
    }
    if (!group.isMulticastAddress()) {
      throw new IllegalArgumentException("group " + group.getHostAddress() + " is not multicast");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be 1 to 65535, is " + port);
    }
    checkDuration("queryInterval", queryInterval, MIN_QUERY_INTERVAL);
    checkDuration("ttl", ttl, Duration.ofSeconds(1));
    if (ttl.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException("ttl must be whole seconds, is " + ttl);
    }
    if (maxPeers < 1 || maxPeers > MAX_PEERS_LIMIT) {
      throw new IllegalArgumentException(
          "maxPeers must be 1 to " + MAX_PEERS_LIMIT + ", is " + maxPeers);
    }
    if (maxAddressesPerPeer < 1 || maxAddressesPerPeer > MAX_ADDRESSES_LIMIT) {
      throw new IllegalArgumentException(
          "maxAddressesPerPeer must be 1 to " + MAX_ADDRESSES_LIMIT + ", is "
              + maxAddressesPerPeer);
    }
  }

  /**
   * Returns the defaults on {@code interfaceName}: IPv4 group 224.0.0.251, port 5353, a query
   * every 10 s, TTL 120 s, at most 256 peers with 16 addresses each, answering queries, no loopback
   * addresses announced.
   */
  public static MdnsConfig on(String interfaceName) {
    return new MdnsConfig(
        interfaceName, IPV4_GROUP, DEFAULT_PORT, DEFAULT_QUERY_INTERVAL, DEFAULT_TTL, 256, 16,
        true, false);
  }

  /** Returns this configuration with another group and port. */
  public MdnsConfig withGroup(InetAddress newGroup, int newPort) {
    return new MdnsConfig(
        interfaceName, newGroup, newPort, queryInterval, ttl, maxPeers, maxAddressesPerPeer,
        announce, announceLoopback);
  }

  /** Returns this configuration with another query interval. */
  public MdnsConfig withQueryInterval(Duration newQueryInterval) {
    return new MdnsConfig(
        interfaceName, group, port, newQueryInterval, ttl, maxPeers, maxAddressesPerPeer,
        announce, announceLoopback);
  }

  /** Returns this configuration with another TTL. */
  public MdnsConfig withTtl(Duration newTtl) {
    return new MdnsConfig(
        interfaceName, group, port, queryInterval, newTtl, maxPeers, maxAddressesPerPeer,
        announce, announceLoopback);
  }

  /** Returns this configuration with other limits. */
  public MdnsConfig withLimits(int newMaxPeers, int newMaxAddressesPerPeer) {
    return new MdnsConfig(
        interfaceName, group, port, queryInterval, ttl, newMaxPeers, newMaxAddressesPerPeer,
        announce, announceLoopback);
  }

  /** Returns this configuration answering queries or not. */
  public MdnsConfig withAnnounce(boolean newAnnounce) {
    return new MdnsConfig(
        interfaceName, group, port, queryInterval, ttl, maxPeers, maxAddressesPerPeer,
        newAnnounce, announceLoopback);
  }

  /** Returns this configuration announcing loopback addresses or not. */
  public MdnsConfig withAnnounceLoopback(boolean newAnnounceLoopback) {
    return new MdnsConfig(
        interfaceName, group, port, queryInterval, ttl, maxPeers, maxAddressesPerPeer, announce,
        newAnnounceLoopback);
  }

  /** Returns whether the group is an IPv6 group. */
  public boolean isIpv6() {
    return group instanceof Inet6Address;
  }

  private static void checkDuration(String name, Duration value, Duration min) {
    if (value.compareTo(min) < 0 || value.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          name + " must be " + min + " to " + MAX_DURATION + ", is " + value);
    }
  }

  private static InetAddress address(byte[] bytes) {
    try {
      InetAddress a = InetAddress.getByAddress(bytes);
      if (bytes.length == 4 && !(a instanceof Inet4Address)) {
        throw new IllegalStateException("not IPv4: " + a);
      }
      return a;
    } catch (UnknownHostException e) {
      throw new IllegalStateException("constant address", e);
    }
  }
}
