package dev.mnode.p2p;

import java.time.Instant;
import java.util.List;

/**
 * A peer found by mDNS: its id and the addresses it announced, each ending in {@code /p2p/<id>}
 * (ready for {@link Host#dial}), and when the entry expires unless the peer is heard again. An
 * announcement is unauthenticated: the peer id is a claim that the Noise handshake of a dial
 * checks.
 *
 * @param peerId the announced peer
 * @param addresses one to {@link MdnsConfig#MAX_ADDRESSES_LIMIT} distinct addresses of that peer
 * @param expires when this entry is dropped unless refreshed
 */
public record DiscoveredPeer(PeerId peerId, List<Multiaddr> addresses, Instant expires) {
  /** Validates the addresses: present, bounded, distinct, each naming {@code peerId}. */
  public DiscoveredPeer {
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty() || addresses.size() > MdnsConfig.MAX_ADDRESSES_LIMIT) {
      throw new IllegalArgumentException(
          "a discovered peer needs 1 to " + MdnsConfig.MAX_ADDRESSES_LIMIT + " addresses, has "
              + addresses.size());
    }
    if (addresses.stream().distinct().count() != addresses.size()) {
      throw new IllegalArgumentException("duplicate addresses for " + peerId + ": " + addresses);
    }
    for (Multiaddr a : addresses) {
      if (a.withoutPeerId().isEmpty() || !a.equals(a.withoutPeerId().withPeerId(peerId))) {
        throw new IllegalArgumentException(a + " does not end in /p2p/" + peerId);
      }
    }
  }
}
