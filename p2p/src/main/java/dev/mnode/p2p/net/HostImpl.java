package dev.mnode.p2p.net;

import dev.mnode.p2p.Connection;
import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.Host;
import dev.mnode.p2p.HostConfig;
import dev.mnode.p2p.IdentifyInfo;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import dev.mnode.p2p.P2pStream;
import dev.mnode.p2p.PeerId;
import dev.mnode.p2p.StreamHandler;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link Host}: Netty NIO event loops for sockets, a cached thread pool ({@code
 * mnode-p2p-handler}) for stream handlers, one {@link Upgrader} per connection. Thread-safe.
 */
final class HostImpl implements Host {
  private static final Logger LOG = Logger.getLogger(HostImpl.class.getName());

  private final Ed25519Identity identity;
  private final HostConfig config;
  private final SecureRandom random = new SecureRandom();
  private final EventLoopGroup group;
  private final ExecutorService handlerExecutor;
  private final Map<String, StreamHandler> handlers = new ConcurrentHashMap<>();
  private final Set<ConnectionImpl> connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger sockets = new AtomicInteger();
  private final List<Channel> listeners = new CopyOnWriteArrayList<>();
  private final List<Multiaddr> listenAddresses = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  HostImpl(Ed25519Identity identity, HostConfig config, int ioThreads) {
    this.identity = identity;
    this.config = config;
    this.group =
        new MultiThreadIoEventLoopGroup(
            ioThreads, new DefaultThreadFactory("mnode-p2p-io", true), NioIoHandler.newFactory());
    this.handlerExecutor =
        Executors.newCachedThreadPool(new DefaultThreadFactory("mnode-p2p-handler", true));
    handlers.put(IDENTIFY, this::serveIdentify);
    handlers.put(PING, HostImpl::servePing);
  }

  @Override
  public PeerId peerId() {
    return identity.peerId();
  }

  @Override
  public Multiaddr listen(Multiaddr address) throws P2pException {
    InetSocketAddress socket = Addresses.toSocketAddress(address);
    if (socket.isUnresolved()) {
      throw new IllegalArgumentException("listen needs an IP address, got " + address);
    }
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    initInbound(ch);
                  }
                });
    ChannelFuture bound = b.bind(socket).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new P2pException(
          Reason.IO, "cannot listen on " + address + ": " + bound.cause().getMessage(),
          bound.cause());
    }
    listeners.add(bound.channel());
    Multiaddr actual =
        Addresses.toMultiaddr((InetSocketAddress) bound.channel().localAddress())
            .withPeerId(peerId());
    listenAddresses.add(actual);
    return actual;
  }

  private void initInbound(SocketChannel ch) {
    if (closed || sockets.incrementAndGet() > config.maxConnections()) {
      sockets.decrementAndGet();
      LOG.fine(() -> "refused " + ch.remoteAddress() + ": at the maximum of "
          + config.maxConnections() + " connections");
      ch.close();
      return;
    }
    ch.closeFuture().addListener(f -> sockets.decrementAndGet());
    CompletableFuture<ConnectionImpl> done = new CompletableFuture<>();
    ch.pipeline()
        .addLast("multistream-noise", new MultistreamHandler(false, Upgrader.NOISE))
        .addLast("upgrader", new Upgrader(identity, config, random, false, null, this::accept, done));
    done.thenAccept(this::register);
  }

  @Override
  public List<Multiaddr> listenAddresses() {
    return List.copyOf(listenAddresses);
  }

  @Override
  public void handle(String protocol, StreamHandler handler) {
    if (!Multistream.isValidProtocol(protocol)) {
      throw new IllegalArgumentException("invalid protocol id '" + protocol + "'");
    }
    if (protocol.equals(IDENTIFY) || protocol.equals(PING)) {
      throw new IllegalArgumentException(protocol + " is served by the host itself");
    }
    handlers.put(protocol, handler);
  }

  @Override
  public Connection dial(Multiaddr address) throws P2pException {
    PeerId peer =
        address.peerId().orElseThrow(
            () -> new IllegalArgumentException(address + " does not end in /p2p/<peer id>"));
    for (ConnectionImpl c : connections) {
      if (c.remotePeer().equals(peer) && c.isOpen()) {
        return c;
      }
    }
    InetSocketAddress socket = Addresses.toSocketAddress(address);
    if (closed) {
      throw new P2pException(Reason.CLOSED, "the host is closed");
    }
    if (sockets.incrementAndGet() > config.maxConnections()) {
      sockets.decrementAndGet();
      throw new P2pException(
          Reason.TOO_MANY_CONNECTIONS,
          "cannot dial " + address + ": the host has the maximum of " + config.maxConnections()
              + " connections");
    }
    CompletableFuture<ConnectionImpl> done = new CompletableFuture<>();
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.handshakeTimeout().toMillis())
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast("multistream-noise", new MultistreamHandler(true, Upgrader.NOISE))
                        .addLast(
                            "upgrader",
                            new Upgrader(identity, config, random, true, peer, HostImpl.this::accept,
                                done));
                  }
                });
    ChannelFuture connect = b.connect(socket);
    connect.channel().closeFuture().addListener(f -> sockets.decrementAndGet());
    connect.addListener(
        f -> {
          if (!f.isSuccess()) {
            done.completeExceptionally(
                new P2pException(
                    Reason.IO, "cannot connect to " + address + ": " + f.cause().getMessage(),
                    f.cause()));
          }
        });
    ConnectionImpl c = await(done, config.handshakeTimeout().multipliedBy(2), "dialing " + address);
    register(c);
    return c;
  }

  private void register(ConnectionImpl c) {
    connections.add(c);
    c.channel().closeFuture().addListener(f -> connections.remove(c));
    if (closed) {
      c.close();
    }
  }

  /** Takes a stream the peer opened: negotiation and the handler run on the handler executor. */
  private void accept(YamuxStream stream) {
    try {
      handlerExecutor.execute(() -> serve(stream));
    } catch (RejectedExecutionException e) {
      stream.reset();
    }
  }

  private void serve(YamuxStream stream) {
    try (stream) {
      String protocol =
          StreamNegotiation.serve(stream, handlers::containsKey, () -> List.copyOf(handlers.keySet()));
      stream.setProtocol(protocol);
      handlers.get(protocol).handle(stream);
    } catch (Exception e) {
      LOG.log(Level.FINE, "stream from " + stream.remotePeer() + " failed: " + e.getMessage(), e);
      stream.reset();
    }
  }

  private void serveIdentify(P2pStream stream) throws P2pException {
    Multiaddr observed = null;
    for (ConnectionImpl c : connections) {
      if (c.remotePeer().equals(stream.remotePeer())) {
        observed = c.remoteAddress();
      }
    }
    List<Multiaddr> listen = new ArrayList<>();
    for (Multiaddr a : listenAddresses) {
      listen.add(a.withoutPeerId());
    }
    IdentifyInfo info =
        new IdentifyInfo(
            Identify.PROTOCOL_VERSION,
            config.agentVersion(),
            identity.publicKey(),
            listen,
            java.util.Optional.ofNullable(observed),
            List.copyOf(handlers.keySet()));
    stream.write(VarintPrefix.prefixed(Identify.encode(info)));
    stream.closeWrite();
  }

  /** Echoes 32-byte pings until the peer closes its side. */
  private static void servePing(P2pStream stream) throws P2pException {
    byte[] buf = new byte[ConnectionImpl.PING_BYTES];
    while (true) {
      int at = 0;
      while (at < buf.length) {
        int r = stream.read(buf, at, buf.length - at);
        if (r < 0) {
          if (at != 0) {
            throw new P2pException(Reason.PROTOCOL_VIOLATION, "ping cut short after " + at + " bytes");
          }
          stream.closeWrite();
          return;
        }
        at += r;
      }
      stream.write(buf);
    }
  }

  @Override
  public P2pStream openStream(Multiaddr address, String protocol) throws P2pException {
    return dial(address).openStream(protocol);
  }

  @Override
  public Duration ping(Multiaddr address) throws P2pException {
    return dial(address).ping();
  }

  @Override
  public IdentifyInfo identify(Multiaddr address) throws P2pException {
    return dial(address).identify();
  }

  @Override
  public List<Connection> connections() {
    List<Connection> out = new ArrayList<>();
    for (ConnectionImpl c : connections) {
      if (c.isOpen()) {
        out.add(c);
      }
    }
    return out;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Channel l : listeners) {
      l.close().awaitUninterruptibly();
    }
    for (ConnectionImpl c : connections) {
      c.close();
    }
    for (ConnectionImpl c : connections) {
      c.channel().closeFuture().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
    handlerExecutor.shutdownNow();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  private static <T> T await(CompletableFuture<T> future, Duration limit, String what)
      throws P2pException {
    try {
      return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof P2pException p) {
        throw new P2pException(p.reason(), p.getMessage(), p);
      }
      throw new P2pException(Reason.IO, what + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new P2pException(Reason.HANDSHAKE_TIMEOUT, what + " took longer than " + limit, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new P2pException(Reason.CLOSED, "interrupted while " + what, e);
    }
  }
}
