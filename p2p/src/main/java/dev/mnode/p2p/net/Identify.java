package dev.mnode.p2p.net;

import dev.mnode.p2p.Ed25519PublicKey;
import dev.mnode.p2p.IdentifyInfo;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import dev.mnode.p2p.PeerId;
import dev.mnode.p2p.multiformats.MultiformatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The identify message ({@code /ipfs/id/1.0.0}, libp2p identify spec): the responder writes one
 * varint-length-prefixed protobuf and closes its side.
 *
 * <pre>
 *   message Identify {
 *     optional bytes  publicKey       = 1;   // libp2p PublicKey protobuf
 *     repeated bytes  listenAddrs     = 2;   // binary multiaddrs
 *     repeated string protocols       = 3;
 *     optional bytes  observedAddr    = 4;   // binary multiaddr
 *     optional string protocolVersion = 5;
 *     optional string agentVersion    = 6;
 *     optional bytes  signedPeerRecord = 8;  // read and ignored
 *   }
 * </pre>
 *
 * Stateless.
 */
final class Identify {
  static final String PROTOCOL_VERSION = "ipfs/0.1.0";

  /** The longest identify message read. */
  static final int MAX_MESSAGE_BYTES = 64 * 1024;

  /** The most listen addresses or protocols kept from one message. */
  static final int MAX_ITEMS = 1024;

  private Identify() {}

  static byte[] encode(IdentifyInfo info) {
    Protobuf.Writer w = new Protobuf.Writer();
    w.string(5, info.protocolVersion()).string(6, info.agentVersion());
    w.bytes(1, info.publicKey().toProtobuf());
    for (Multiaddr a : info.listenAddrs()) {
      w.bytes(2, a.toBytes());
    }
    info.observedAddr().ifPresent(a -> w.bytes(4, a.toBytes()));
    for (String p : info.protocols()) {
      w.string(3, p);
    }
    return w.toByteArray();
  }

  /**
   * Decodes a message and checks that its key is {@code expectedPeer}'s.
   *
   * @throws P2pException PROTOCOL_VIOLATION for a malformed message, a missing or foreign key, a
   *     bad address, or more than {@link #MAX_ITEMS} addresses or protocols
   */
  static IdentifyInfo decode(byte[] message, PeerId expectedPeer) throws P2pException {
    Protobuf.Reader r = new Protobuf.Reader(message, "identify message");
    String protocolVersion = "";
    String agentVersion = "";
    Ed25519PublicKey key = null;
    List<Multiaddr> listen = new ArrayList<>();
    Optional<Multiaddr> observed = Optional.empty();
    List<String> protocols = new ArrayList<>();
    try {
      while (r.next()) {
        switch (r.field()) {
          case 1 -> key = Ed25519PublicKey.fromProtobuf(r.bytes());
          case 2 -> listen.add(Multiaddr.fromBytes(r.bytes()));
          case 3 -> protocols.add(r.string());
          case 4 -> observed = Optional.of(Multiaddr.fromBytes(r.bytes()));
          case 5 -> protocolVersion = r.string();
          case 6 -> agentVersion = r.string();
          default -> r.skip();
        }
        if (listen.size() > MAX_ITEMS || protocols.size() > MAX_ITEMS) {
          throw new P2pException(
              Reason.PROTOCOL_VIOLATION,
              "identify message lists more than " + MAX_ITEMS + " addresses or protocols");
        }
      }
    } catch (MultiformatException e) {
      throw new P2pException(Reason.PROTOCOL_VIOLATION, "identify message: " + e.getMessage(), e);
    }
    if (key == null) {
      throw new P2pException(Reason.PROTOCOL_VIOLATION, "identify message has no public key");
    }
    if (!key.toPeerId().equals(expectedPeer)) {
      throw new P2pException(
          Reason.PROTOCOL_VIOLATION,
          "identify message carries the key of " + key.toPeerId() + ", not of " + expectedPeer);
    }
    return new IdentifyInfo(protocolVersion, agentVersion, key, listen, observed, protocols);
  }
}
