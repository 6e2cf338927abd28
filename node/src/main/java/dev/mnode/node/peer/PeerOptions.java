package dev.mnode.node.peer;

import dev.mnode.p2p.MdnsConfig;
import dev.mnode.p2p.Multiaddr;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How the node syncs with its peers.
 *
 * @param listen libp2p listen addresses ({@code /ip4/0.0.0.0/tcp/4737} and {@code /ip6/::/tcp/4737}
 *     by default)
 * @param peers static peer addresses, each ending in {@code /p2p/<peer id>}
 * @param mdns how to discover peers on the LAN with mDNS (an interface, normally with the defaults
 *     of {@link MdnsConfig#on}); null for none
 * @param interval how often each known peer is synced even without news
 * @param debounce how long after a local write the node waits to gather more before syncing
 * @param maxBackoff the longest wait between dials of a peer that keeps failing
 */
public record PeerOptions(
    List<Multiaddr> listen,
    List<Multiaddr> peers,
    @Nullable MdnsConfig mdns,
    Duration interval,
    Duration debounce,
    Duration maxBackoff) {
  /** The default libp2p port. */
  public static final int DEFAULT_PORT = 4737;

  public PeerOptions {
    listen = List.copyOf(listen);
    peers = List.copyOf(peers);
    if (listen.isEmpty()) {
      throw new IllegalArgumentException("give at least one listen address");
    }
  }
}
