package dev.mnode.p2p.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mnode.p2p.Connection;
import dev.mnode.p2p.Echo;
import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.Host;
import dev.mnode.p2p.HostConfig;
import dev.mnode.p2p.IdentifyInfo;
import dev.mnode.p2p.Multiaddr;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Interoperability with js-libp2p (versions pinned in p2p/interop/package-lock.json): Noise, yamux,
 * identify, ping and {@code /mnode/echo/1.0.0} in both directions, over 127.0.0.1. Needs Node.js
 * 20+ and {@code npm ci --prefix p2p/interop}; without them the test fails and says so.
 */
@Timeout(120)
class InteropTest {
  private static final Path INTEROP = Path.of("interop");
  private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"(?:[^\"\\\\]|\\\\.)*\"|\\[[^\\]]*\\]|[^,}\\]]+)");

  @BeforeAll
  static void requireNodeModules() {
    if (!Files.isDirectory(INTEROP.resolve("node_modules/libp2p"))) {
      fail("js-libp2p is not installed for the interop test: run `npm ci --prefix p2p/interop` "
          + "from the repository root (needs Node.js 20+ and npm)");
    }
  }

  @Test
  void javaDialsJs_connectPingIdentifyBothWays_echo1MiB_and64Streams() throws Exception {
    Process js = node("listen");
    try (Ed25519Identity id = Ed25519Identity.generate();
        Host host = P2pModule.newHost(id, HostConfig.defaults())) {
      host.handle(Echo.PROTOCOL, Echo.handler());
      BufferedReader out = new BufferedReader(new InputStreamReader(js.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertNotNull(line, "the js listener printed nothing: " + stderr(js));
      String listening = field(line, "listening");
      assertNotNull(listening, "unexpected js output: " + line);
      Multiaddr addr = Multiaddr.parse(listening);

      Connection c = host.dial(addr);
      assertEquals(addr.peerId().orElseThrow(), c.remotePeer());
      assertEquals(32, c.handshakeHash().length());

      Duration rtt = c.ping();
      assertTrue(rtt.compareTo(Duration.ZERO) > 0);

      // What Java sees of js-libp2p ...
      IdentifyInfo info = c.identify();
      assertEquals(c.remotePeer(), info.peerId());
      assertTrue(info.agentVersion().startsWith("js-libp2p/"), info.agentVersion());
      assertTrue(
          info.protocols().containsAll(List.of(Host.IDENTIFY, Host.PING, Echo.PROTOCOL)),
          info.protocols().toString());
      assertTrue(info.listenAddrs().contains(addr.withoutPeerId()), info.listenAddrs().toString());

      // ... and what js-libp2p saw of Java when it identified us on connect.
      String line2 = readLineWith(out, "identified", js);
      String identified = line2.substring(line2.indexOf(':') + 1); // the nested object
      assertEquals(host.peerId().toString(), field(identified, "peerId"), identified);
      assertEquals("mnode/0.1.0", field(identified, "agentVersion"), identified);
      assertEquals(Identify.PROTOCOL_VERSION, field(identified, "protocolVersion"), identified);
      assertListsExactly(List.of(Host.IDENTIFY, Host.PING, Echo.PROTOCOL), field(identified, "protocols"));

      byte[] text = "mnode says hello to js-libp2p".getBytes(StandardCharsets.UTF_8);
      assertArrayEquals(text, Echo.echo(host, addr, text));
      assertEchoes(host, addr, 1, 1 << 20);
      assertEchoes(host, addr, 64, 64 * 1024);
      assertEquals(1, host.connections().size(), "everything ran on one connection");
    } finally {
      js.getOutputStream().close();
      stop(js);
    }
  }

  @Test
  void jsDialsJava_connectPingIdentifyBothWays_echo1MiB_and64Streams() throws Exception {
    try (Ed25519Identity id = Ed25519Identity.generate();
        Host host = P2pModule.newHost(id, HostConfig.defaults())) {
      host.handle(Echo.PROTOCOL, Echo.handler());
      Multiaddr addr = host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
      Process js = node("dial", addr.toString());
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(js.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertNotNull(line, "the js dialer printed nothing: " + stderr(js));
        assertEquals(null, field(line, "error"), line);
        // What js-libp2p saw of Java ...
        assertEquals(host.peerId().toString(), field(line, "peerId"), line);
        assertEquals("mnode/0.1.0", field(line, "agentVersion"), line);
        assertEquals(Identify.PROTOCOL_VERSION, field(line, "protocolVersion"), line);
        assertListsExactly(List.of(Host.IDENTIFY, Host.PING, Echo.PROTOCOL), field(line, "protocols"));
        assertTrue(field(line, "listenAddrs").contains("\"" + addr.withoutPeerId() + "\""), line);
        assertTrue(field(line, "observedAddr").startsWith("/ip4/127.0.0.1/tcp/"), line);
        assertTrue(Double.parseDouble(field(line, "rttMs")) >= 0, line);
        assertEquals("js-libp2p says hello to mnode", field(line, "echo"), line);
        assertEquals("true", field(line, "echo1MiB"), line);
        assertEquals("true", field(line, "echo64x64KiB"), line);

        // ... and what Java sees of js-libp2p over the connection it accepted.
        assertEquals(1, host.connections().size());
        Connection c = host.connections().get(0);
        assertFalse(c.isInitiator());
        assertTrue(c.ping().compareTo(Duration.ZERO) > 0);
        IdentifyInfo info = c.identify();
        assertEquals(c.remotePeer(), info.peerId());
        assertTrue(info.agentVersion().startsWith("js-libp2p/"), info.agentVersion());
        assertTrue(
            info.protocols().containsAll(List.of(Host.IDENTIFY, Host.PING, Echo.PROTOCOL)),
            info.protocols().toString());
        // Java echoes over the connection js-libp2p opened, too.
        byte[] back = Echo.echo(host, c.remoteAddress().withPeerId(info.peerId()), new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, back);
      } finally {
        js.getOutputStream().close();
        stop(js);
      }
    }
  }

  /** Echoes {@code streams} random payloads of {@code bytes} at once and checks each byte. */
  private static void assertEchoes(Host host, Multiaddr addr, int streams, int bytes) throws Exception {
    Random random = new Random(streams * 31L + bytes);
    List<byte[]> payloads = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      byte[] b = new byte[bytes];
      random.nextBytes(b);
      payloads.add(b);
    }
    ExecutorService pool = Executors.newFixedThreadPool(streams);
    try {
      List<Future<byte[]>> backs = new ArrayList<>();
      for (byte[] p : payloads) {
        backs.add(pool.submit(() -> Echo.echo(host, addr, p)));
      }
      for (int i = 0; i < streams; i++) {
        assertArrayEquals(payloads.get(i), backs.get(i).get(60, TimeUnit.SECONDS),
            "echo stream " + i + " of " + streams + " (" + bytes + " bytes)");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertListsExactly(List<String> expected, @Nullable String jsonArray) {
    assertNotNull(jsonArray);
    List<String> got = new ArrayList<>();
    Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(jsonArray);
    while (m.find()) {
      got.add(m.group(1));
    }
    assertEquals(new java.util.TreeSet<>(expected), new java.util.TreeSet<>(got), jsonArray);
  }

  /** Reads lines until one holds {@code name}; the test's timeout bounds the wait. */
  private static String readLineWith(BufferedReader out, String name, Process p) throws IOException {
    for (int i = 0; i < 100; i++) {
      String line = out.readLine();
      assertNotNull(line, "the js peer ended before printing " + name + ": " + stderr(p));
      if (line.contains("\"" + name + "\"")) {
        return line;
      }
    }
    throw new AssertionError("no " + name + " line from the js peer");
  }

  private static Process node(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("node", "peer.mjs"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).directory(INTEROP.toFile()).start();
  }

  private static void stop(Process p) throws InterruptedException {
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroy();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static String stderr(Process p) {
    try {
      if (p.isAlive()) {
        return "(still running)";
      }
      return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "(stderr unreadable: " + e.getMessage() + ")";
    }
  }

  /** Returns a top-level field of a one-line JSON object: strings unquoted, others as written. */
  private static @Nullable String field(String json, String name) {
    Matcher m = FIELD.matcher(json);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        String v = m.group(2);
        return v.startsWith("\"") ? v.substring(1, v.length() - 1).replace("\\\"", "\"") : v;
      }
    }
    return null;
  }
}
