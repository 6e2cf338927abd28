package dev.mnode.p2p.net;

import dev.mnode.p2p.Connection;
import dev.mnode.p2p.Host;
import dev.mnode.p2p.IdentifyInfo;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import dev.mnode.p2p.P2pStream;
import dev.mnode.p2p.PeerId;
import dev.mnode.p2p.multiformats.Bytes;
import io.netty.channel.Channel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;

/** A connection whose upgrade finished: a yamux session to an authenticated peer. Thread-safe. */
final class ConnectionImpl implements Connection {
  static final int PING_BYTES = 32;

  private final Channel channel;
  private final YamuxSession session;
  private final PeerId remotePeer;
  private final Multiaddr remoteAddress;
  private final boolean initiator;
  private final Bytes handshakeHash;
  private final SecureRandom random;

  ConnectionImpl(
      Channel channel,
      YamuxSession session,
      PeerId remotePeer,
      Multiaddr remoteAddress,
      boolean initiator,
      Bytes handshakeHash,
      SecureRandom random) {
    this.channel = channel;
    this.session = session;
    this.remotePeer = remotePeer;
    this.remoteAddress = remoteAddress;
    this.initiator = initiator;
    this.handshakeHash = handshakeHash;
    this.random = random;
  }

  @Override
  public PeerId remotePeer() {
    return remotePeer;
  }

  @Override
  public Multiaddr remoteAddress() {
    return remoteAddress;
  }

  @Override
  public boolean isInitiator() {
    return initiator;
  }

  @Override
  public Bytes handshakeHash() {
    return handshakeHash;
  }

  @Override
  public boolean isOpen() {
    return channel.isActive();
  }

  Channel channel() {
    return channel;
  }

  YamuxSession session() {
    return session;
  }

  @Override
  public P2pStream openStream(String protocol) throws P2pException {
    if (!Multistream.isValidProtocol(protocol)) {
      throw new IllegalArgumentException("invalid protocol id '" + protocol + "'");
    }
    if (channel.eventLoop().inEventLoop()) {
      throw new IllegalStateException("openStream blocks; it must not run on a network event loop");
    }
    YamuxStream stream = session.openStream();
    try {
      StreamNegotiation.select(stream, protocol);
    } catch (P2pException | RuntimeException e) {
      stream.reset();
      throw e;
    }
    stream.setProtocol(protocol);
    return stream;
  }

  @Override
  public Duration ping() throws P2pException {
    try (P2pStream stream = openStream(Host.PING)) {
      byte[] challenge = new byte[PING_BYTES];
      random.nextBytes(challenge);
      long start = System.nanoTime();
      stream.write(challenge);
      byte[] answer = stream.readExactly(PING_BYTES);
      long rtt = System.nanoTime() - start;
      if (!Arrays.equals(challenge, answer)) {
        throw new P2pException(
            Reason.PROTOCOL_VIOLATION, remotePeer + " answered ping with other bytes");
      }
      return Duration.ofNanos(rtt);
    }
  }

  @Override
  public IdentifyInfo identify() throws P2pException {
    try (P2pStream stream = openStream(Host.IDENTIFY)) {
      byte[] message =
          VarintPrefix.readMessage(stream, Identify.MAX_MESSAGE_BYTES, "identify message");
      return Identify.decode(message, remotePeer);
    }
  }

  @Override
  public void close() {
    session.close();
  }

  @Override
  public String toString() {
    return "connection to " + remotePeer + " at " + remoteAddress
        + (initiator ? " (outbound)" : " (inbound)");
  }
}
