package dev.mnode.cli;

import static dev.mnode.cli.CliHarness.assertFailed;
import static dev.mnode.cli.CliHarness.oneJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnode.p2p.Echo;
import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.Host;
import dev.mnode.p2p.HostConfig;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.net.P2pModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code mnode p2p listen | ping | identify | echo}, all in this process, over 127.0.0.1. */
@Timeout(120)
class P2pCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path tmp;

  /** Runs {@code mnode --home <tmp>/home args...}: the p2p tools must never create it. */
  private CliHarness.Result run(String... args) {
    return new CliHarness(tmp.resolve("home")).run(args);
  }

  private CliHarness.Result ok(String... args) {
    CliHarness.Result r = run(args);
    assertEquals(0, r.exit(), () -> String.join(" ", args) + " failed: " + r);
    return r;
  }

  @Test
  void listen_printsItsFullMultiaddrFirst_andServesPingIdentifyEcho() throws Exception {
    try (LiveCommand listen = new LiveCommand("--home", tmp.resolve("home").toString(), "p2p", "listen")) {
      String line = listen.firstLine(WAIT);
      Multiaddr addr = Multiaddr.parse(line);
      assertTrue(line.startsWith("/ip4/127.0.0.1/tcp/"), line);
      assertTrue(addr.peerId().isPresent(), line);
      assertTrue(addr.tcpPort().getAsInt() > 0, line);

      CliHarness.Result ping = ok("p2p", "ping", line, "--count", "3");
      List<String> lines = ping.out().lines().toList();
      assertEquals(4, lines.size(), ping::toString);
      assertTrue(lines.get(0).startsWith("pong from " + addr.peerId().get() + ": "), ping::toString);
      assertEquals("", ping.err());

      JsonNode id = oneJson(ok("p2p", "identify", line, "--json"));
      assertEquals(addr.peerId().get().toString(), id.get("peer").textValue());
      assertEquals(P2pTool.agentVersion(), id.get("agentVersion").textValue());
      assertTrue(P2pTool.agentVersion().startsWith("mnode/"), P2pTool.agentVersion());
      assertEquals(Set.of(Host.IDENTIFY, Host.PING, Echo.PROTOCOL), texts(id.get("protocols")));
      assertEquals(Set.of(addr.withoutPeerId().toString()), texts(id.get("listenAddrs")));
      assertTrue(id.get("observedAddr").textValue().startsWith("/ip4/127.0.0.1/tcp/"), id::toString);

      JsonNode echo = oneJson(ok("p2p", "echo", line, "--bytes", "300000", "--streams", "8", "--json"));
      assertEquals(8, echo.get("streams").intValue());
      assertEquals(300000, echo.get("bytes").intValue());
      assertEquals(8, echo.get("matched").intValue());

      CliHarness.Result text = ok("p2p", "echo", line);
      assertTrue(text.out().startsWith("echoed 1 stream of 1024 bytes with " + addr.peerId().get()), text::toString);
      assertTrue(listen.stdout().endsWith(line + "\n"), "listen prints nothing after its address");
    }
    assertFalse(Files.exists(tmp.resolve("home")), "a p2p tool created the home");
  }

  @Test
  void listen_json_firstLineIsOneObject_andSecondsEndsIt() throws Exception {
    try (LiveCommand listen = new LiveCommand("--json", "p2p", "listen", "--seconds", "2")) {
      JsonNode o = CliHarness.JSON.readTree(listen.firstLine(WAIT));
      assertEquals(Set.of("listen"), fieldNames(o));
      Multiaddr addr = Multiaddr.parse(o.get("listen").textValue());
      assertTrue(addr.peerId().isPresent(), o::toString);
      ok("p2p", "ping", addr.toString());
      assertEquals(0, listen.awaitExit(WAIT), listen::toString);
      assertEquals("", listen.stderr());
      oneJson(new CliHarness.Result(0, listen.stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8), listen.stdout(), ""));
    }
  }

  @Test
  void echo_peerThatChangesBytes_failsWithExit1() throws Exception {
    try (Ed25519Identity id = Ed25519Identity.generate();
        Host liar = P2pModule.newHost(id, HostConfig.defaults())) {
      liar.handle(Echo.PROTOCOL, stream -> {
        byte[] all = stream.readAll(1 << 20);
        if (all.length > 100) {
          all[100] ^= 1;
        }
        stream.write(all);
        stream.closeWrite();
      });
      Multiaddr addr = liar.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
      CliHarness.Result r = run("p2p", "echo", addr.toString(), "--bytes", "1000", "--streams", "3");
      assertFailed(r, Mnode.EXIT_FAILURE, "3 of 3 echo streams came back different");
      assertTrue(r.err().contains("first difference at byte 100"), r::toString);
      assertEquals("", r.out());

      // Short payloads come back intact from the same peer: the check is byte-exact, not a guess.
      ok("p2p", "echo", addr.toString(), "--bytes", "100", "--streams", "3");
    }
  }

  @Test
  void badAddresses_areInvalidInput_exit2() {
    assertFailed(run("p2p", "ping", "/ip4/300.1.1.1/tcp/1"), Mnode.EXIT_INVALID, "invalid multiaddr '/ip4/300.1.1.1/tcp/1'");
    assertFailed(run("p2p", "identify", "/ip4/127.0.0.1/tcp/4001"), Mnode.EXIT_INVALID, "must end in /p2p/<peer id>");
    assertFailed(run("p2p", "echo", "nonsense"), Mnode.EXIT_INVALID, "invalid multiaddr 'nonsense'");
    assertFailed(run("p2p", "echo", "/ip4/127.0.0.1/tcp/1/p2p/" + Ed25519Identity.generate().peerId(), "--streams", "0"),
        Mnode.EXIT_INVALID, "--streams must be 1 to");
    assertFailed(run("p2p", "listen", "--listen", "/ip4/127.0.0.1/udp/0"), Mnode.EXIT_INVALID, "udp");
    assertFailed(run("p2p", "listen", "--seconds", "0"), Mnode.EXIT_INVALID, "--seconds must be 1 to");
    CliHarness.Result json = run("--json", "p2p", "ping", "/dns4/");
    assertEquals(Mnode.EXIT_INVALID, json.exit(), json::toString);
    assertEquals("invalid_input", oneJson(json).get("error").get("code").textValue());
  }

  @Test
  void nobodyListening_isANetworkError_exit1_withReasonCode() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String addr = "/ip4/127.0.0.1/tcp/" + port + "/p2p/" + Ed25519Identity.generate().peerId();
    assertFailed(run("p2p", "ping", addr), Mnode.EXIT_FAILURE, "cannot connect to " + addr);
    CliHarness.Result json = run("--json", "p2p", "identify", addr);
    assertEquals(Mnode.EXIT_FAILURE, json.exit(), json::toString);
    assertEquals("io", oneJson(json).get("error").get("code").textValue());
  }

  @Test
  void noHomeIsOpened_andHelpWorks() {
    for (String sub : List.of("listen", "ping", "identify", "echo")) {
      CliHarness.Result r = ok("p2p", sub, "--help");
      assertTrue(r.out().startsWith("Usage: mnode p2p " + sub), r::toString);
    }
    assertTrue(ok("p2p").out().startsWith("Usage: mnode p2p"));
    assertTrue(ok("--help").out().contains("  p2p "));
    assertFalse(Files.exists(tmp.resolve("home")));
  }

  private static Set<String> texts(JsonNode array) {
    Set<String> out = new TreeSet<>();
    array.forEach(n -> out.add(n.textValue()));
    return out;
  }

  private static Set<String> fieldNames(JsonNode o) {
    Set<String> names = new TreeSet<>();
    o.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
