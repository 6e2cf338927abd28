package dev.mnode.p2p.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.p2p.Connection;
import dev.mnode.p2p.Echo;
import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.Host;
import dev.mnode.p2p.HostConfig;
import dev.mnode.p2p.IdentifyInfo;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import dev.mnode.p2p.P2pStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two hosts on 127.0.0.1 talking over real sockets. */
@Timeout(60)
class HostTest {
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
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

  private static Multiaddr loopback() throws Exception {
    return Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
  }

  @Test
  void dial_pingIdentifyEcho_work() throws Exception {
    Host server = host(HostConfig.defaults());
    server.handle(Echo.PROTOCOL, Echo.handler());
    Multiaddr addr = server.listen(loopback());
    Host client = host(HostConfig.defaults());

    Duration rtt = client.ping(addr);
    assertTrue(rtt.compareTo(Duration.ZERO) > 0);

    IdentifyInfo info = client.identify(addr);
    assertEquals(server.peerId(), info.peerId());
    assertEquals("mnode/0.1.0", info.agentVersion());
    assertTrue(info.protocols().contains(Echo.PROTOCOL), info.protocols().toString());
    assertEquals(List.of(addr.withoutPeerId()), info.listenAddrs());
    assertTrue(info.observedAddr().isPresent());

    byte[] text = "hello over yamux".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(text, Echo.echo(client, addr, text));
    assertEquals(1, client.connections().size());
  }

  @Test
  void handshakeHash_isTheSameAtBothEnds() throws Exception {
    Host server = host(HostConfig.defaults());
    Multiaddr addr = server.listen(loopback());
    Host client = host(HostConfig.defaults());
    Connection c = client.dial(addr);
    c.ping(); // the server has registered its side once a stream went through
    Connection s = server.connections().get(0);
    assertEquals(32, c.handshakeHash().length());
    assertEquals(c.handshakeHash(), s.handshakeHash());
    assertEquals(client.peerId(), s.remotePeer());
    assertFalse(s.isInitiator());
  }

  @Test
  void echo_largerThanTheWindow_isFlowControlled() throws Exception {
    Host server = host(HostConfig.defaults());
    server.handle(Echo.PROTOCOL, Echo.handler());
    Multiaddr addr = server.listen(loopback());
    Host client = host(HostConfig.defaults());
    byte[] big = new byte[1 << 20];
    new java.util.Random(7).nextBytes(big);
    // 1 MiB crosses 4 windows in each direction while both ends write and read at once.
    assertArrayEquals(big, Echo.echo(client, addr, big));
  }

  @Test
  void dial_wrongPeerId_failsWithPeerMismatch() throws Exception {
    Host server = host(HostConfig.defaults());
    Multiaddr addr = server.listen(loopback());
    Host client = host(HostConfig.defaults());
    Multiaddr wrong = addr.withoutPeerId().withPeerId(Ed25519Identity.generate().peerId());
    P2pException e = assertThrows(P2pException.class, () -> client.dial(wrong));
    assertEquals(Reason.PEER_MISMATCH, e.reason(), e.getMessage());
    assertTrue(client.connections().isEmpty());
  }

  @Test
  void gate_refusesPeer_connectionIsClosed() throws Exception {
    Host client = host(HostConfig.defaults());
    Host server =
        host(HostConfig.defaults().withGate((peer, remote, inbound) -> !peer.equals(client.peerId())));
    Multiaddr addr = server.listen(loopback());
    P2pException e = assertThrows(P2pException.class, () -> client.ping(addr));
    assertTrue(e.reason() == Reason.CLOSED || e.reason() == Reason.PROTOCOL_VIOLATION
        || e.reason() == Reason.IO, e.reason() + ": " + e.getMessage());
    assertTrue(server.connections().isEmpty());

    // The dialer's own gate refuses a server it does not like, with REFUSED.
    Host picky = host(HostConfig.defaults().withGate((peer, remote, inbound) -> false));
    Host other = host(HostConfig.defaults());
    Multiaddr otherAddr = other.listen(loopback());
    P2pException refused = assertThrows(P2pException.class, () -> picky.dial(otherAddr));
    assertEquals(Reason.REFUSED, refused.reason(), refused.getMessage());
  }

  @Test
  void openStream_unknownProtocol_isUnsupported_andConnectionSurvives() throws Exception {
    Host server = host(HostConfig.defaults());
    Multiaddr addr = server.listen(loopback());
    Host client = host(HostConfig.defaults());
    P2pException e =
        assertThrows(P2pException.class, () -> client.openStream(addr, "/not/served/1.0.0"));
    assertEquals(Reason.UNSUPPORTED_PROTOCOL, e.reason());
    client.ping(addr);
  }

  @Test
  void ls_listsTheServedProtocols() throws Exception {
    Host server = host(HostConfig.defaults());
    server.handle(Echo.PROTOCOL, Echo.handler());
    Multiaddr addr = server.listen(loopback());
    Host client = host(HostConfig.defaults());
    ConnectionImpl c = (ConnectionImpl) client.dial(addr);
    try (YamuxStream s = c.session().openStream()) {
      List<String> listed = StreamNegotiation.list(s);
      assertTrue(listed.containsAll(List.of(Host.PING, Host.IDENTIFY, Echo.PROTOCOL)), listed.toString());
    }
  }

  @Test
  void streamLimit_isEnforcedBothWays() throws Exception {
    HostConfig two = HostConfig.defaults().withLimits(16, 2);
    Host server = host(two);
    server.handle("/hold/1.0.0", stream -> stream.readAll(16));
    Multiaddr addr = server.listen(loopback());
    Host client = host(two);
    P2pStream a = client.openStream(addr, "/hold/1.0.0");
    P2pStream b = client.openStream(addr, "/hold/1.0.0");
    P2pException e = assertThrows(P2pException.class, () -> client.openStream(addr, Host.PING));
    assertEquals(Reason.TOO_MANY_STREAMS, e.reason(), e.getMessage());
    a.close();
    b.close();

    // A peer that ignores our limit gets its extra streams reset.
    Host greedy = host(HostConfig.defaults());
    Connection g = greedy.dial(addr);
    P2pStream held1 = g.openStream("/hold/1.0.0");
    P2pStream held2 = g.openStream("/hold/1.0.0");
    P2pException reset = assertThrows(P2pException.class, () -> g.openStream(Host.PING));
    assertEquals(Reason.CLOSED, reset.reason(), reset.getMessage());
    held1.close();
    held2.close();
  }

  @Test
  void openStream_fromManyThreadsAtOnce_allSucceedOnOneConnection() throws Exception {
    // Stream ids must reach the peer in increasing order even when threads race to open streams.
    HostConfig many = HostConfig.defaults().withLimits(16, 1024);
    Host server = host(many);
    server.handle(Echo.PROTOCOL, Echo.handler());
    Multiaddr addr = server.listen(loopback());
    Host client = host(many);
    Connection c = client.dial(addr);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(32);
    try {
      List<java.util.concurrent.Future<byte[]>> echoes = new ArrayList<>();
      for (int i = 0; i < 256; i++) {
        byte[] b = {(byte) i, (byte) (i >>> 8)};
        echoes.add(pool.submit(() -> Echo.echo(client, addr, b)));
      }
      for (int i = 0; i < echoes.size(); i++) {
        assertArrayEquals(new byte[] {(byte) i, (byte) (i >>> 8)},
            echoes.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(c.isOpen());
    assertEquals(1, client.connections().size());
  }

  @Test
  void connectionLimit_isEnforced() throws Exception {
    Host server = host(HostConfig.defaults());
    Multiaddr addr = server.listen(loopback());
    Host other = host(HostConfig.defaults());
    Multiaddr otherAddr = other.listen(loopback());
    Host client = host(HostConfig.defaults().withLimits(1, 16));
    client.dial(addr);
    P2pException e = assertThrows(P2pException.class, () -> client.dial(otherAddr));
    assertEquals(Reason.TOO_MANY_CONNECTIONS, e.reason(), e.getMessage());
  }

  @Test
  void handshakeTimeout_closesASilentPeer() throws Exception {
    Host server = host(HostConfig.defaults().withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(5)));
    Multiaddr addr = server.listen(loopback());
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", addr.tcpPort().getAsInt())) {
      s.setSoTimeout(5000);
      var in = s.getInputStream();
      // The server sends its multistream header, then closes us after the timeout.
      long start = System.nanoTime();
      while (in.read() >= 0) {
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "not closed in time");
      }
      assertTrue(System.nanoTime() - start >= 250_000_000L);
    }
    // Dialing a peer that never answers fails with HANDSHAKE_TIMEOUT.
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Host client = host(HostConfig.defaults().withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(5)));
      Multiaddr silentAddr =
          Multiaddr.parse("/ip4/127.0.0.1/tcp/" + silent.getLocalPort()).withPeerId(server.peerId());
      P2pException e = assertThrows(P2pException.class, () -> client.dial(silentAddr));
      assertEquals(Reason.HANDSHAKE_TIMEOUT, e.reason(), e.getMessage());
    }
  }

  @Test
  void unreadStream_holdsOneWindow_whileOtherStreamsAndPingGoOn_thenDrains() throws Exception {
    Host server = host(HostConfig.defaults());
    java.util.concurrent.BlockingQueue<P2pStream> held = new java.util.concurrent.LinkedBlockingQueue<>();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    server.handle("/sink/1.0.0", stream -> {
      held.add(stream);
      release.await();
      stream.readAll(Integer.MAX_VALUE);
    });
    server.handle(Echo.PROTOCOL, Echo.handler());
    Multiaddr addr = server.listen(loopback());
    Host client = host(HostConfig.defaults());
    Connection c = client.dial(addr);
    P2pStream s = c.openStream("/sink/1.0.0");
    // Fill the server stream's window while its handler does not read; the writer then blocks.
    java.util.concurrent.CompletableFuture<Void> writer =
        java.util.concurrent.CompletableFuture.runAsync(() -> {
          try {
            s.write(new byte[2 * YamuxSession.INITIAL_WINDOW]);
            s.closeWrite();
          } catch (P2pException e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        });
    held.take();
    ConnectionImpl serverSide = (ConnectionImpl) server.connections().get(0);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (serverSide.session().bufferedBytes() < YamuxSession.INITIAL_WINDOW - 1024
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(200);
    long buffered = serverSide.session().bufferedBytes();
    assertTrue(buffered >= YamuxSession.INITIAL_WINDOW - 1024 && buffered <= YamuxSession.INITIAL_WINDOW,
        "the unread stream holds one window: " + buffered);
    assertFalse(writer.isDone(), "the writer should wait for window");
    // The connection itself is not held up by the unread stream.
    assertTrue(c.ping().compareTo(Duration.ZERO) > 0);
    byte[] big = new byte[3 * YamuxSession.INITIAL_WINDOW];
    new java.util.Random(5).nextBytes(big);
    assertArrayEquals(big, Echo.echo(client, addr, big));
    // Once read, the stream drains and the writer finishes.
    release.countDown();
    writer.get(20, java.util.concurrent.TimeUnit.SECONDS);
    c.ping();
  }
}
