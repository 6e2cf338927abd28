package dev.mnode.p2p;

import java.util.List;

/**
 * A running mDNS discovery service to the libp2p mDNS spec (discovery/mdns.md): it asks the
 * network for {@code _p2p._udp.local} peers every query interval, answers such queries with this
 * node's addresses (if so configured), and tells its {@link MdnsListener} about the peers it hears.
 * Its own announcements are ignored. Create one with {@code dev.mnode.p2p.mdns.MdnsModule}; none
 * exists unless a caller creates it.
 *
 * <p>Thread-safe.
 */
public interface Mdns extends AutoCloseable {
  /** The DNS-SD service name every libp2p peer answers for. */
  String SERVICE_NAME = "_p2p._udp.local";

  /**
   * Returns this service's peer name: a random lower-case alphanumeric label, new at each start,
   * that names this node's records on the network (the spec's {@code peer-name}).
   */
  String peerName();

  /** Returns the discovered peers that have not expired, in no particular order. */
  List<DiscoveredPeer> peers();

  /** Sends a query now, in addition to the periodic ones. Never blocks; never throws. */
  void query();

  /**
   * Stops discovery: announces the departure of this node's records (time to live 0) if it
   * announces, leaves the group and closes the socket. Never throws; idempotent.
   */
  @Override
  void close();
}
