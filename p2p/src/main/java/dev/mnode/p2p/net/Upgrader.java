package dev.mnode.p2p.net;

import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.HostConfig;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import dev.mnode.p2p.PeerId;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Drives one connection from TCP to yamux, at the tail of its pipeline: reacts to each step's
 * {@link UpgradeEvent} by installing the next step before itself, checks the authenticated peer
 * against the dialed peer id and the {@link dev.mnode.p2p.ConnectionGate}, enforces the handshake
 * timeout, and closes the connection on any failure (with a yamux go-away once yamux runs). The
 * outcome completes {@code done}.
 *
 * <p>Confined to the channel's event loop.
 */
final class Upgrader extends ChannelInboundHandlerAdapter {
  static final String NOISE = "/noise";
  static final String YAMUX = "/yamux/1.0.0";
  private static final Logger LOG = Logger.getLogger(Upgrader.class.getName());

  private final Ed25519Identity identity;
  private final HostConfig config;
  private final SecureRandom random;
  private final boolean initiator;
  private final @Nullable PeerId expectedPeer;
  private final Consumer<YamuxStream> acceptor;
  private final CompletableFuture<ConnectionImpl> done;
  private @Nullable ScheduledFuture<?> timeout;
  private @Nullable PeerId remotePeer;
  private dev.mnode.p2p.multiformats.@Nullable Bytes handshakeHash;
  private @Nullable YamuxSession session;

  Upgrader(
      Ed25519Identity identity,
      HostConfig config,
      SecureRandom random,
      boolean initiator,
      @Nullable PeerId expectedPeer,
      Consumer<YamuxStream> acceptor,
      CompletableFuture<ConnectionImpl> done) {
    this.identity = identity;
    this.config = config;
    this.random = random;
    this.initiator = initiator;
    this.expectedPeer = expectedPeer;
    this.acceptor = acceptor;
    this.done = done;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    long nanos = config.handshakeTimeout().toNanos();
    timeout =
        ctx.executor()
            .schedule(
                () ->
                    fail(
                        ctx,
                        new P2pException(
                            Reason.HANDSHAKE_TIMEOUT,
                            "the handshake with " + remoteText(ctx) + " did not finish within "
                                + config.handshakeTimeout())),
                nanos,
                TimeUnit.NANOSECONDS);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof UpgradeEvent.ProtocolSelected selected) {
      if (selected.protocol().equals(NOISE)) {
        ctx.pipeline()
            .addBefore(ctx.name(), "noise", new NoiseHandshakeHandler(initiator, identity, random));
      } else if (selected.protocol().equals(YAMUX)) {
        startYamux(ctx);
      }
    } else if (evt instanceof UpgradeEvent.Secured secured) {
      onSecured(ctx, secured);
    } else {
      super.userEventTriggered(ctx, evt);
    }
  }

  private void onSecured(ChannelHandlerContext ctx, UpgradeEvent.Secured secured) {
    PeerId peer = secured.remoteKey().toPeerId();
    if (expectedPeer != null && !peer.equals(expectedPeer)) {
      fail(ctx, new P2pException(
          Reason.PEER_MISMATCH,
          "dialed " + expectedPeer + " but the peer at " + remoteText(ctx) + " proved to be "
              + peer));
      return;
    }
    if (!config.gate().admit(peer, remoteAddress(ctx), !initiator)) {
      fail(ctx, new P2pException(
          Reason.REFUSED, "the connection gate refused " + peer + " at " + remoteText(ctx)));
      return;
    }
    remotePeer = peer;
    handshakeHash = secured.handshakeHash();
    ctx.pipeline().addBefore(ctx.name(), "multistream-yamux", new MultistreamHandler(initiator, YAMUX));
  }

  private void startYamux(ChannelHandlerContext ctx) {
    if (remotePeer == null || handshakeHash == null) {
      fail(ctx, new P2pException(Reason.PROTOCOL_VIOLATION, "yamux selected before Noise"));
      return;
    }
    YamuxSession s =
        new YamuxSession(
            ctx.channel(), initiator, remotePeer, config.maxStreamsPerConnection(),
            config.streamTimeout(), acceptor);
    session = s;
    ctx.pipeline().addBefore(ctx.name(), "yamux-frames", new YamuxFrameDecoder(YamuxSession.INITIAL_WINDOW));
    ctx.pipeline().addBefore(ctx.name(), "yamux", s);
    if (timeout != null) {
      timeout.cancel(false);
    }
    done.complete(
        new ConnectionImpl(
            ctx.channel(), s, remotePeer, remoteAddress(ctx), initiator, handshakeHash, random));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    P2pException e =
        c instanceof P2pException p
            ? p
            : new P2pException(Reason.IO, "connection to " + remoteText(ctx) + ": " + c, c);
    fail(ctx, e);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (timeout != null) {
      timeout.cancel(false);
    }
    done.completeExceptionally(
        new P2pException(
            Reason.CLOSED, "the connection to " + remoteText(ctx) + " closed during the handshake"));
    super.channelInactive(ctx);
  }

  private void fail(ChannelHandlerContext ctx, P2pException e) {
    if (done.completeExceptionally(e)) {
      LOG.log(Level.FINE, "connection upgrade failed: {0}", e.getMessage());
    } else {
      LOG.log(Level.FINE, "closing connection: {0}", e.getMessage());
    }
    if (session != null) {
      session.failProtocol();
    } else {
      ctx.close();
    }
  }

  private static Multiaddr remoteAddress(ChannelHandlerContext ctx) {
    return Addresses.toMultiaddr((InetSocketAddress) ctx.channel().remoteAddress());
  }

  private static String remoteText(ChannelHandlerContext ctx) {
    return String.valueOf(ctx.channel().remoteAddress());
  }
}
