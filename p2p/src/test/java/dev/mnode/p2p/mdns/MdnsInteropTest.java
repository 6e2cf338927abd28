package dev.mnode.p2p.mdns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mnode.p2p.DiscoveredPeer;
import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.Host;
import dev.mnode.p2p.HostConfig;
import dev.mnode.p2p.Mdns;
import dev.mnode.p2p.MdnsConfig;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.net.P2pModule;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * mDNS discovery with js-libp2p's {@code @libp2p/mdns} (version pinned in
 * p2p/interop/package-lock.json), both ways: the js node discovers our host and our host discovers
 * the js node, each with the other's peer id and listen address, and the address found is dialed.
 *
 * <p>Both sides run on the loopback interface only (the js peer is shown only {@code lo}, see
 * interop/peer.mjs) on a free UDP port rather than 5353, so no packet leaves the machine. Needs
 * Node.js 20+ and {@code npm ci --prefix p2p/interop}: without them the test fails and says so. It
 * skips, with the reason, only when this machine cannot loop IPv4 multicast back on loopback
 * ({@link LoopbackMulticast}).
 */
@Timeout(60)
class MdnsInteropTest {
  private static final Path INTEROP = Path.of("interop");
  private static final Pattern LISTENING = Pattern.compile("\"listening\":\"([^\"]+)\"");
  private static final Pattern DISCOVERED =
      Pattern.compile("\"discovered\":\\{\"peerId\":\"([^\"]+)\",\"multiaddrs\":\\[([^\\]]*)\\]");

  @BeforeAll
  static void requirements() {
    if (!Files.isDirectory(INTEROP.resolve("node_modules/@libp2p/mdns"))) {
      fail("@libp2p/mdns is not installed for the interop test: run `npm ci --prefix p2p/interop` "
          + "from the repository root (needs Node.js 20+ and npm)");
    }
    Optional<String> why = LoopbackMulticast.unavailableBecause();
    assumeTrue(why.isEmpty(), () -> "multicast on loopback unavailable: " + why.orElse(""));
  }

  @Test
  void jsLibp2pMdns_andOurs_discoverEachOther_onLoopback_andTheAddressDials() throws Exception {
    String lo = LoopbackMulticast.loopbackName().orElseThrow();
    int port = LoopbackMulticast.freeUdpPort();
    Process js =
        new ProcessBuilder("node", "peer.mjs", "mdns", Integer.toString(port))
            .directory(INTEROP.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (Ed25519Identity id = Ed25519Identity.generate();
        Host host = P2pModule.newHost(id, HostConfig.defaults())) {
      Multiaddr ours = host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
      BufferedReader out =
          new BufferedReader(new InputStreamReader(js.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      assertNotNull(first, "the js peer printed nothing");
      Matcher listening = LISTENING.matcher(first);
      assertTrue(listening.find(), "unexpected js output: " + first);
      Multiaddr theirs = Multiaddr.parse(listening.group(1));

      BlockingQueue<DiscoveredPeer> heard = new LinkedBlockingQueue<>();
      MdnsConfig config =
          MdnsConfig.on(lo)
              .withGroup(MdnsConfig.IPV4_GROUP, port)
              .withQueryInterval(Duration.ofMillis(500))
              .withAnnounceLoopback(true);
      try (Mdns mdns = MdnsModule.start(config, host.peerId(), host::listenAddresses, heard::add)) {
        // Ours discovers theirs.
        DiscoveredPeer js1 = heard.poll(20, TimeUnit.SECONDS);
        assertNotNull(js1, "our mDNS did not discover the js node within 20 s");
        assertEquals(theirs.peerId().orElseThrow(), js1.peerId());
        assertEquals(List.of(theirs), js1.addresses());

        // Theirs discovers ours (js-libp2p reports the addresses without /p2p).
        String line;
        Matcher discovered = null;
        while ((line = out.readLine()) != null) {
          Matcher m = DISCOVERED.matcher(line);
          if (m.find() && m.group(1).equals(host.peerId().toString())) {
            discovered = m;
            break;
          }
        }
        assertNotNull(discovered, "the js node never reported discovering our host");
        assertTrue(
            discovered.group(2).contains("\"" + ours.withoutPeerId() + "\""),
            "js discovered " + discovered.group(2) + ", we listen on " + ours);

        // What we discovered dials: the Noise handshake proves the announced peer id.
        assertTrue(host.ping(js1.addresses().get(0)).compareTo(Duration.ZERO) > 0);
        assertEquals(0, ((MdnsService) mdns).droppedPackets(), "js packets dropped");
      }
    } finally {
      try {
        js.getOutputStream().close();
      } catch (IOException ignored) {
        // the process is gone already
      }
      if (!js.waitFor(10, TimeUnit.SECONDS)) {
        js.destroyForcibly();
      }
    }
  }
}
