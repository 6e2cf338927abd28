package dev.mnode.p2p.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.p2p.Echo;
import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.Host;
import dev.mnode.p2p.HostConfig;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import dev.mnode.p2p.P2pStream;
import io.netty.channel.ChannelOutboundBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Peers that abuse flow control cannot make a host buffer without bound, over real sockets on
 * 127.0.0.1. What a host holds for one connection is bounded by its stream limit times the yamux
 * window ({@link YamuxSession#INITIAL_WINDOW}) in each direction, plus {@link
 * YamuxSession#MAX_PENDING_ANSWERS} small control frames.
 */
@Timeout(120)
class FlowControlTest {
  private static final String HOLD = "/hold/1.0.0";
  private static final int STREAMS = 8;

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void closeAll() throws Exception {
    release.countDown();
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private Host host(HostConfig config) {
    Ed25519Identity id = Ed25519Identity.generate();
    Host h = P2pModule.newHost(id, config);
    resources.add(id);
    resources.add(h);
    return h;
  }

  /** A server whose {@code /hold} handler never reads until the test ends, and which echoes. */
  private Host holdingServer() {
    Host server = host(HostConfig.defaults().withLimits(16, STREAMS)
        .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(5)));
    server.handle(HOLD, stream -> release.await());
    server.handle(Echo.PROTOCOL, Echo.handler());
    return server;
  }

  private static Multiaddr loopback() throws Exception {
    return Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
  }

  @Test
  void streamsThatAreNeverRead_holdAtMostOneWindowEach_andTheConnectionStaysUsable() throws Exception {
    Host server = holdingServer();
    Multiaddr addr = server.listen(loopback());
    Host client = host(HostConfig.defaults().withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(3)));
    ConnectionImpl c = (ConnectionImpl) client.dial(addr);
    ExecutorService writers = Executors.newFixedThreadPool(STREAMS);
    try {
      List<P2pStream> streams = new ArrayList<>();
      for (int i = 0; i < STREAMS; i++) {
        P2pStream s = c.openStream(HOLD);
        streams.add(s);
        // Each writer offers 4 windows; it gets one through, then times out waiting for credit.
        writers.execute(() -> {
          try {
            s.write(new byte[4 * YamuxSession.INITIAL_WINDOW]);
          } catch (P2pException expected) {
            // TIMEOUT: the server granted no more
          }
        });
      }
      ConnectionImpl serverSide = (ConnectionImpl) server.connections().get(0);
      YamuxSession session = serverSide.session();
      await(() -> session.bufferedBytes() >= (long) STREAMS * (YamuxSession.INITIAL_WINDOW - 1024),
          "the server did not receive a window per stream");
      Thread.sleep(500); // the writers keep pushing; nothing more may arrive
      assertTrue(session.bufferedBytes() <= (long) STREAMS * YamuxSession.INITIAL_WINDOW,
          "buffered " + session.bufferedBytes());
      // A stream beyond the server's limit is refused, not buffered; the connection still pings.
      P2pException e = assertThrows(P2pException.class, () -> c.openStream(HOLD));
      assertEquals(Reason.CLOSED, e.reason(), e.getMessage());
      assertTrue(session.streamCount() <= STREAMS);
      assertTrue(c.session().ping().get(10, java.util.concurrent.TimeUnit.SECONDS) > 0);
      assertTrue(serverSide.isOpen());
    } finally {
      writers.shutdownNow();
    }
  }

  @Test
  void dataBeyondTheWindow_closesThatConnection_andTheHostServesOthers() throws Exception {
    Host server = holdingServer();
    Multiaddr addr = server.listen(loopback());
    Host cheat = host(HostConfig.defaults());
    ConnectionImpl c = (ConnectionImpl) cheat.dial(addr);
    YamuxStream s = (YamuxStream) c.openStream(HOLD);
    // Bypass our own window accounting: 5 frames of 60,000 bytes into a 262,144-byte window.
    for (int i = 0; i < 5; i++) {
      c.session().send(new YamuxFrame(YamuxFrame.TYPE_DATA, 0, s.id(), 60_000, new byte[60_000]));
    }
    await(() -> !c.isOpen(), "the server kept a connection that overran its window");
    await(() -> server.connections().isEmpty(), "the server still lists the connection");
    Host good = host(HostConfig.defaults());
    assertTrue(good.ping(addr).compareTo(Duration.ZERO) > 0);
  }

  @Test
  void peerThatNeverReadsTheSocket_ourUnsentBytesStayWithinItsWindows() throws Exception {
    Host server = holdingServer();
    Multiaddr addr = server.listen(loopback());
    Host client = host(HostConfig.defaults().withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(3)));
    ConnectionImpl c = (ConnectionImpl) client.dial(addr);
    c.ping();
    ConnectionImpl serverSide = (ConnectionImpl) server.connections().get(0);
    ((io.netty.channel.socket.SocketChannelConfig) serverSide.channel().config()).setSendBufferSize(8 * 1024); // the kernel hides less
    List<P2pStream> streams = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      streams.add(c.openStream(Echo.PROTOCOL));
    }
    c.channel().config().setAutoRead(false); // from now on the client reads nothing
    ExecutorService writers = Executors.newFixedThreadPool(STREAMS);
    try {
      for (P2pStream s : streams) {
        writers.execute(() -> {
          try {
            s.write(new byte[4 * YamuxSession.INITIAL_WINDOW]);
          } catch (P2pException expected) {
            // TIMEOUT: no window updates are read any more
          }
        });
      }
      // The echo handlers write back until each stream's window at the client is used up.
      long bound = (long) STREAMS * YamuxSession.INITIAL_WINDOW * 102 / 100 + 64 * 1024;
      long max = 0;
      for (int i = 0; i < 40; i++) {
        max = Math.max(max, pending(serverSide));
        Thread.sleep(50);
      }
      assertTrue(max > YamuxSession.INITIAL_WINDOW, "the test did not fill the server's outbound: " + max);
      assertTrue(max <= bound, "the server holds " + max + " unsent bytes, more than " + bound);
    } finally {
      writers.shutdownNow();
    }
  }

  @Test
  void pingFloodFromAPeerThatNeverReads_closesItsConnection() throws Exception {
    Host server = holdingServer();
    Multiaddr addr = server.listen(loopback());
    Host client = host(HostConfig.defaults());
    ConnectionImpl c = (ConnectionImpl) client.dial(addr);
    c.ping();
    ConnectionImpl serverSide = (ConnectionImpl) server.connections().get(0);
    ((io.netty.channel.socket.SocketChannelConfig) serverSide.channel().config()).setSendBufferSize(8 * 1024);
    c.channel().config().setAutoRead(false);
    long maxPending = 0;
    for (int i = 0; i < 200_000 && serverSide.isOpen() && c.channel().isActive(); i++) {
      c.session().send(YamuxFrame.control(YamuxFrame.TYPE_PING, YamuxFrame.FLAG_SYN, 0, i));
      if (i % 1000 == 0) {
        maxPending = Math.max(maxPending, pending(serverSide));
      }
    }
    await(() -> !serverSide.isOpen(), "the server kept answering a peer that never reads");
    // Each answer is a 12-byte frame in a 30-byte Noise message, plus Netty's 96-byte entry.
    assertTrue(maxPending <= 128L * YamuxSession.MAX_PENDING_ANSWERS, "pending " + maxPending);
    Host good = host(HostConfig.defaults());
    assertTrue(good.ping(addr).compareTo(Duration.ZERO) > 0);
  }

  private static long pending(ConnectionImpl c) {
    ChannelOutboundBuffer out = c.channel().unsafe().outboundBuffer();
    return out == null ? 0 : out.totalPendingWriteBytes();
  }

  private static void await(BooleanSupplier condition, String message) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, message);
      Thread.sleep(10);
    }
  }
}
