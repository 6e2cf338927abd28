package dev.mnode.p2p.net;

import dev.mnode.p2p.Ed25519PublicKey;
import dev.mnode.p2p.multiformats.Bytes;

/** What one step of a connection upgrade fires towards the {@link Upgrader} when it is done. */
sealed interface UpgradeEvent {
  /** multistream-select agreed on {@code protocol}. */
  record ProtocolSelected(String protocol) implements UpgradeEvent {}

  /** The Noise handshake finished: the peer proved {@code remoteKey}. */
  record Secured(Ed25519PublicKey remoteKey, Bytes handshakeHash) implements UpgradeEvent {}
}
