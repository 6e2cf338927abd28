package dev.mnode.p2p.mdns;

import dev.mnode.p2p.DiscoveredPeer;
import dev.mnode.p2p.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The discovered peers: at most {@code maxPeers}, each kept until its announced TTL (capped at
 * {@code maxTtl}) runs out unless heard again. When full, announcements of new peers are ignored
 * until an entry expires: a flood of invented peers can fill the table for at most {@code maxTtl},
 * but it never pushes out a peer already known. A goodbye (TTL 0) drops the peer at once.
 *
 * <p>Thread-safe: every method holds the table's lock.
 */
final class PeerTable {
  private record Entry(String peerName, DiscoveredPeer peer) {}

  private final int maxPeers;
  private final Duration maxTtl;

  /** Guarded by {@code this}. */
  private final Map<PeerId, Entry> entries = new LinkedHashMap<>();

  PeerTable(int maxPeers, Duration maxTtl) {
    this.maxPeers = maxPeers;
    this.maxTtl = maxTtl;
  }

  /**
   * Records {@code a} heard at {@code now}; returns the peer if it is new or its addresses changed
   * (what a listener is told), empty if it was refreshed, dropped (goodbye), or ignored (table
   * full, no addresses).
   */
  synchronized Optional<DiscoveredPeer> update(Announcement a, Instant now) {
    prune(now);
    if (a.isGoodbye()) {
      entries.values().removeIf(e -> e.peerName().equals(a.peerName()));
      a.peerId().ifPresent(entries::remove);
      return Optional.empty();
    }
    Optional<PeerId> id = a.peerId();
    if (id.isEmpty()) {
      return Optional.empty();
    }
    Entry old = entries.get(id.get());
    if (old == null && entries.size() >= maxPeers) {
      return Optional.empty();
    }
    Duration ttl = Duration.ofSeconds(Math.min(a.ttlSeconds(), maxTtl.toSeconds()));
    DiscoveredPeer peer = new DiscoveredPeer(id.get(), a.addresses(), now.plus(ttl));
    entries.put(id.get(), new Entry(a.peerName(), peer));
    boolean changed =
        old == null
            || !new HashSet<>(old.peer().addresses()).equals(new HashSet<>(a.addresses()));
    return changed ? Optional.of(peer) : Optional.empty();
  }

  /** Returns the peers that have not expired at {@code now}. */
  synchronized List<DiscoveredPeer> live(Instant now) {
    prune(now);
    return entries.values().stream().map(Entry::peer).toList();
  }

  /** Returns how many peers are kept, expired ones included until the next call that prunes. */
  synchronized int size() {
    return entries.size();
  }

  private void prune(Instant now) {
    entries.values().removeIf(e -> !e.peer().expires().isAfter(now));
  }
}
