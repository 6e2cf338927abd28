package dev.mnode.p2p;

import dev.mnode.p2p.multiformats.Bytes;
import java.time.Duration;

/**
 * A secured, multiplexed connection to one authenticated peer: TCP, Noise XX, yamux. Thread-safe.
 * The blocking methods must not be called on a network event loop.
 */
public interface Connection extends AutoCloseable {
  /** Returns the peer, authenticated by the Noise handshake. */
  PeerId remotePeer();

  /** Returns the peer's socket address, without {@code /p2p}. */
  Multiaddr remoteAddress();

  /** Returns whether we dialed this connection. */
  boolean isInitiator();

  /**
   * Returns the Noise handshake hash {@code h} (32 bytes), the same at both ends and unique to this
   * connection; a protocol on top binds to it to be sure it talks over this very channel.
   */
  Bytes handshakeHash();

  /** Returns whether the connection is still open. */
  boolean isOpen();

  /**
   * Opens a stream and negotiates {@code protocol} on it with multistream-select.
   *
   * @throws P2pException UNSUPPORTED_PROTOCOL if the peer does not speak it, TOO_MANY_STREAMS at
   *     the stream limit, TIMEOUT, CLOSED
   */
  P2pStream openStream(String protocol) throws P2pException;

  /** Runs the ping protocol once and returns the round-trip time. */
  Duration ping() throws P2pException;

  /** Runs the identify protocol and returns what the peer says, its key checked. */
  IdentifyInfo identify() throws P2pException;

  /** Closes the connection (yamux go-away, then TCP close); never throws. */
  @Override
  void close();
}
