package dev.mnode.p2p;

/**
 * Decides, right after the Noise handshake, whether an authenticated peer may keep its connection
 * (later: vault members and pairing guests only). A refused connection is closed before any stream
 * is opened on it. Called on a network event loop: it must answer quickly and never block.
 */
@FunctionalInterface
public interface ConnectionGate {
  /** A gate that admits every peer. */
  ConnectionGate ADMIT_ALL = (peer, remoteAddress, inbound) -> true;

  /**
   * Returns whether {@code peer}, authenticated by its Noise static key signature, may stay
   * connected. {@code remoteAddress} is its socket address; {@code inbound} is true when the peer
   * dialed us.
   */
  boolean admit(PeerId peer, Multiaddr remoteAddress, boolean inbound);
}
