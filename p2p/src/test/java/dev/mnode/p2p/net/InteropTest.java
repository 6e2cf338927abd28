package dev.mnode.p2p.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
  void javaDialsJs_pingIdentifyEcho() throws Exception {
    Process js = node("listen");
    try (Ed25519Identity id = Ed25519Identity.generate();
        Host host = P2pModule.newHost(id, HostConfig.defaults())) {
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

      IdentifyInfo info = c.identify();
      assertEquals(c.remotePeer(), info.peerId());
      assertTrue(info.agentVersion().startsWith("js-libp2p/"), info.agentVersion());
      assertTrue(
          info.protocols().containsAll(List.of(Host.IDENTIFY, Host.PING, Echo.PROTOCOL)),
          info.protocols().toString());
      assertTrue(info.listenAddrs().contains(addr.withoutPeerId()), info.listenAddrs().toString());

      byte[] text = "mnode says hello to js-libp2p".getBytes(StandardCharsets.UTF_8);
      assertArrayEquals(text, Echo.echo(host, addr, text));
      byte[] big = new byte[700 * 1024];
      new java.util.Random(3).nextBytes(big);
      assertArrayEquals(big, Echo.echo(host, addr, big), "700 KiB echo across several windows");
    } finally {
      js.getOutputStream().close();
      stop(js);
    }
  }

  @Test
  void jsDialsJava_pingIdentifyEcho() throws Exception {
    try (Ed25519Identity id = Ed25519Identity.generate();
        Host host = P2pModule.newHost(id, HostConfig.defaults())) {
      host.handle(Echo.PROTOCOL, Echo.handler());
      Multiaddr addr = host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
      String text = "js-libp2p says hello to mnode";
      Process js = node("dial", addr.toString(), text);
      try {
        assertTrue(js.waitFor(90, TimeUnit.SECONDS), "the js dialer did not finish");
        String line = new String(js.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, js.exitValue(), "js dialer failed: " + line + " " + stderr(js));
        assertEquals(host.peerId().toString(), field(line, "peerId"), line);
        assertEquals("mnode/0.1.0", field(line, "agentVersion"), line);
        assertEquals(text, field(line, "echo"), line);
        String protocols = field(line, "protocols");
        assertNotNull(protocols, line);
        for (String p : List.of(Host.IDENTIFY, Host.PING, Echo.PROTOCOL)) {
          assertTrue(protocols.contains("\"" + p + "\""), line);
        }
        assertTrue(Double.parseDouble(field(line, "rttMs")) >= 0, line);
      } finally {
        stop(js);
      }
    }
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
