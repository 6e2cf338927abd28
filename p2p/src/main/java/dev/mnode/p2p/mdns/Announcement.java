package dev.mnode.p2p.mdns;

import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.PeerId;
import java.util.List;
import java.util.Optional;

/**
 * What one response said about one peer: its peer name, the time to live of its PTR record (0 is a
 * goodbye) and the {@code dnsaddr} addresses of its TXT records, all naming one peer id. Immutable.
 */
record Announcement(String peerName, long ttlSeconds, List<Multiaddr> addresses) {
  Announcement {
    addresses = List.copyOf(addresses);
    if (ttlSeconds < 0) {
      throw new IllegalArgumentException("negative ttl " + ttlSeconds);
    }
  }

  /** Returns the peer the addresses name, or empty if there are none. */
  Optional<PeerId> peerId() {
    return addresses.isEmpty() ? Optional.empty() : addresses.get(0).peerId();
  }

  /** Returns whether this is a goodbye (TTL 0): the peer's records are to be dropped. */
  boolean isGoodbye() {
    return ttlSeconds == 0;
  }
}
