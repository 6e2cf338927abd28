package dev.mnode.p2p;

/**
 * Told about peers that mDNS discovers. Called on the discovery service's network thread, one call
 * at a time: an implementation must return quickly and must not block (hand dials and other work
 * to an executor of its own). An exception it throws is logged and does not stop discovery.
 */
@FunctionalInterface
public interface MdnsListener {
  /** A peer was heard for the first time since it was last kept, or announced other addresses. */
  void discovered(DiscoveredPeer peer);
}
