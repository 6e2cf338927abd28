package dev.mnode.p2p;

import java.util.List;
import java.util.Optional;

/**
 * What a peer says about itself in the identify protocol ({@code /ipfs/id/1.0.0}). The public key
 * is checked against the connection's authenticated peer id before this record is returned.
 *
 * @param protocolVersion the libp2p protocol family, such as {@code ipfs/0.1.0}; may be empty
 * @param agentVersion the implementation, such as {@code mnode/0.1.0}; may be empty
 * @param publicKey the peer's identity key
 * @param listenAddrs the addresses the peer listens on, as it reports them
 * @param observedAddr our address as the peer sees it, if it said
 * @param protocols the protocol ids the peer serves
 */
public record IdentifyInfo(
    String protocolVersion,
    String agentVersion,
    Ed25519PublicKey publicKey,
    List<Multiaddr> listenAddrs,
    Optional<Multiaddr> observedAddr,
    List<String> protocols) {

  /** Copies the lists. */
  public IdentifyInfo {
    listenAddrs = List.copyOf(listenAddrs);
    protocols = List.copyOf(protocols);
  }

  /** Returns the peer id of {@link #publicKey()}. */
  public PeerId peerId() {
    return publicKey.toPeerId();
  }
}
