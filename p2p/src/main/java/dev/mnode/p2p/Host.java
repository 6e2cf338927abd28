package dev.mnode.p2p;

import java.time.Duration;
import java.util.List;

/**
 * A libp2p host: one identity, TCP listeners, outbound dials, protocol handlers. Every connection
 * runs multistream-select, Noise XX (the peer's identity verified), the {@link ConnectionGate},
 * multistream-select again and yamux; identify ({@code /ipfs/id/1.0.0}) and ping ({@code
 * /ipfs/ping/1.0.0}) are always served. Create one with {@code dev.mnode.p2p.net.P2pModule}.
 *
 * <p>Thread-safe. The blocking methods must not be called on a network event loop.
 */
public interface Host extends AutoCloseable {
  /** The identify protocol id. */
  String IDENTIFY = "/ipfs/id/1.0.0";

  /** The ping protocol id. */
  String PING = "/ipfs/ping/1.0.0";

  /** Returns this host's peer id. */
  PeerId peerId();

  /**
   * Starts listening on a {@code /ip4/.../tcp/...} or {@code /ip6/.../tcp/...} address (port 0
   * picks a free port) and returns the bound address ending in {@code /p2p/<our id>}.
   *
   * @throws P2pException IO if the address cannot be bound
   * @throws IllegalArgumentException if the address is not a TCP address on an IP
   */
  Multiaddr listen(Multiaddr address) throws P2pException;

  /** Returns the bound listen addresses, each ending in {@code /p2p/<our id>}. */
  List<Multiaddr> listenAddresses();

  /**
   * Serves {@code protocol} with {@code handler} from now on, replacing an earlier handler.
   *
   * @throws IllegalArgumentException for an id that is empty, longer than 1000 bytes, contains a
   *     newline, or is identify or ping
   */
  void handle(String protocol, StreamHandler handler);

  /**
   * Dials {@code address}, which must end in {@code /p2p/<peer id>}, and returns the secured
   * connection; returns an open connection to that peer if there is one.
   *
   * @throws P2pException IO, HANDSHAKE_TIMEOUT, PEER_MISMATCH if the peer proves another identity,
   *     REFUSED by the gate, TOO_MANY_CONNECTIONS, PROTOCOL_VIOLATION
   * @throws IllegalArgumentException if the address names no peer id or is not TCP on an IP
   */
  Connection dial(Multiaddr address) throws P2pException;

  /** Dials if needed and opens a stream for {@code protocol}; see {@link Connection#openStream}. */
  P2pStream openStream(Multiaddr address, String protocol) throws P2pException;

  /** Dials if needed and pings once; returns the round-trip time. */
  Duration ping(Multiaddr address) throws P2pException;

  /** Dials if needed and runs identify. */
  IdentifyInfo identify(Multiaddr address) throws P2pException;

  /** Returns the open connections. */
  List<Connection> connections();

  /** Closes every connection and listener and stops the event loops; never throws. */
  @Override
  void close();
}
