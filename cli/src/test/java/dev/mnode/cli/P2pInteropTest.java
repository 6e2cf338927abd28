package dev.mnode.cli;

import static dev.mnode.cli.CliHarness.oneJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnode.p2p.Echo;
import dev.mnode.p2p.Host;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code mnode p2p} tools against js-libp2p (the peer in p2p/interop, versions pinned by its
 * package-lock.json), in both directions over 127.0.0.1: connect, ping, identify as each side sees
 * the other, and echo of 1 MiB on one stream and of 64 KiB on 64 streams at once, byte-exact. Needs
 * Node.js 20+ and the peer installed (the p2p build runs {@code npm ci} there); fails, never
 * skips, without them.
 */
@Timeout(180)
class P2pInteropTest {
  private static final Path INTEROP = Path.of("..", "p2p", "interop");

  @TempDir Path tmp;

  @BeforeAll
  static void requireJsPeer() {
    if (!Files.isDirectory(INTEROP.resolve("node_modules/libp2p"))) {
      fail("js-libp2p is not installed for the interop test: run `npm ci --prefix p2p/interop` "
          + "from the repository root (needs Node.js 20+ and npm)");
    }
  }

  private JsonNode okJson(String... args) {
    List<String> all = new ArrayList<>(List.of("--json"));
    all.addAll(List.of(args));
    CliHarness.Result r = new CliHarness(tmp.resolve("home")).runRaw(new byte[0], all.toArray(String[]::new));
    assertEquals(0, r.exit(), () -> String.join(" ", args) + " failed: " + r);
    assertEquals("", r.err(), r::toString);
    return oneJson(r);
  }

  @Test
  void mnodeDialsJs_pingIdentifyEcho1MiB_and64Streams() throws Exception {
    Process js = node("listen");
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(js.getInputStream(), StandardCharsets.UTF_8));
      JsonNode first = CliHarness.JSON.readTree(readLine(out, js));
      assertNotNull(first.get("listening"), first::toString);
      String addr = first.get("listening").textValue();
      String peer = Multiaddr.parse(addr).peerId().orElseThrow().toString();

      JsonNode ping = okJson("p2p", "ping", addr, "--count", "3");
      assertEquals(peer, ping.get("peer").textValue());
      assertEquals(3, ping.get("rttMs").size());
      assertTrue(ping.get("minMs").doubleValue() > 0, ping::toString);

      JsonNode id = okJson("p2p", "identify", addr);
      assertEquals(peer, id.get("peer").textValue());
      assertTrue(id.get("agentVersion").textValue().startsWith("js-libp2p/"), id::toString);
      assertTrue(texts(id.get("protocols")).containsAll(Set.of(Host.IDENTIFY, Host.PING, Echo.PROTOCOL)), id::toString);
      assertTrue(texts(id.get("listenAddrs")).contains(Multiaddr.parse(addr).withoutPeerId().toString()), id::toString);
      assertTrue(id.get("observedAddr").textValue().startsWith("/ip4/127.0.0.1/tcp/"), id::toString);

      JsonNode one = okJson("p2p", "echo", addr, "--bytes", String.valueOf(1 << 20));
      assertEquals(1, one.get("matched").intValue(), one::toString);
      JsonNode many = okJson("p2p", "echo", addr, "--bytes", String.valueOf(64 * 1024), "--streams", "64");
      assertEquals(64, many.get("matched").intValue(), many::toString);
      assertEquals(64, many.get("streams").intValue(), many::toString);
    } finally {
      js.getOutputStream().close();
      stop(js);
    }
  }

  @Test
  void jsDialsMnodeListen_seesItsIdentify_andEchoes1MiB_and64Streams() throws Exception {
    try (LiveCommand listen = new LiveCommand("p2p", "listen")) {
      String addr = listen.firstLine(Duration.ofSeconds(30));
      Process js = node("dial", addr);
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(js.getInputStream(), StandardCharsets.UTF_8));
        JsonNode r = CliHarness.JSON.readTree(readLine(out, js));
        assertEquals(null, r.get("error"), r::toString);
        assertEquals(Multiaddr.parse(addr).peerId().orElseThrow().toString(), r.get("peerId").textValue());
        assertEquals(P2pTool.agentVersion(), r.get("agentVersion").textValue());
        assertEquals("ipfs/0.1.0", r.get("protocolVersion").textValue());
        assertEquals(Set.of(Host.IDENTIFY, Host.PING, Echo.PROTOCOL), texts(r.get("protocols")));
        assertEquals(Set.of(Multiaddr.parse(addr).withoutPeerId().toString()), texts(r.get("listenAddrs")));
        assertTrue(r.get("rttMs").doubleValue() >= 0, r::toString);
        assertEquals("js-libp2p says hello to mnode", r.get("echo").textValue());
        assertTrue(r.get("echo1MiB").booleanValue(), r::toString);
        assertTrue(r.get("echo64x64KiB").booleanValue(), r::toString);
      } finally {
        js.getOutputStream().close();
        stop(js);
      }
      assertEquals(addr + "\n", listen.stdout(), "listen prints its address and nothing else");
      assertEquals("", listen.stderr());
    }
  }

  private static Process node(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("node", "peer.mjs"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).directory(INTEROP.toFile()).start();
  }

  private static String readLine(BufferedReader out, Process p) throws IOException, InterruptedException {
    String line = out.readLine(); // bounded by the class timeout
    if (line == null) {
      p.waitFor(5, TimeUnit.SECONDS);
      fail("the js peer printed nothing: "
          + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    }
    return line;
  }

  private static void stop(Process p) throws InterruptedException {
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroy();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static Set<String> texts(JsonNode array) {
    Set<String> out = new TreeSet<>();
    array.forEach(n -> out.add(n.textValue()));
    return out;
  }
}
