package dev.mnode.p2p.mdns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mnode.p2p.DiscoveredPeer;
import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.Host;
import dev.mnode.p2p.HostConfig;
import dev.mnode.p2p.Mdns;
import dev.mnode.p2p.MdnsConfig;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.net.P2pModule;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two Java mDNS services discovering each other for real, over IPv4 multicast (224.0.0.251) on
 * the loopback interface, so no packet leaves the machine. Each test uses a free UDP port instead
 * of 5353, so it neither hears nor disturbs a real mDNS responder. If multicast on loopback does
 * not work on the machine, the tests skip and say why ({@link LoopbackMulticast}).
 */
@Timeout(60)
class MdnsServiceTest {
  private static String lo;

  @BeforeAll
  static void requireLoopbackMulticast() {
    Optional<String> why = LoopbackMulticast.unavailableBecause();
    assumeTrue(why.isEmpty(), () -> "multicast on loopback unavailable: " + why.orElse(""));
    lo = LoopbackMulticast.loopbackName().orElseThrow();
  }

  @Test
  void twoServices_discoverEachOther_ignoreThemselves_dial_andGoodbyeDropsAPeer() throws Exception {
    MdnsConfig config = loopbackConfig();
    try (Ed25519Identity idA = Ed25519Identity.generate();
        Ed25519Identity idB = Ed25519Identity.generate();
        Host a = P2pModule.newHost(idA, HostConfig.defaults());
        Host b = P2pModule.newHost(idB, HostConfig.defaults())) {
      a.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
      b.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
      BlockingQueue<DiscoveredPeer> heardByA = new LinkedBlockingQueue<>();
      BlockingQueue<DiscoveredPeer> heardByB = new LinkedBlockingQueue<>();
      try (Mdns mdnsA = MdnsModule.start(config, a.peerId(), a::listenAddresses, heardByA::add)) {
        Mdns mdnsB = MdnsModule.start(config, b.peerId(), b::listenAddresses, heardByB::add);
        try {
          assertNotEquals(mdnsA.peerName(), mdnsB.peerName());
          DiscoveredPeer bSeenByA = heardByA.poll(10, TimeUnit.SECONDS);
          DiscoveredPeer aSeenByB = heardByB.poll(10, TimeUnit.SECONDS);
          assertTrue(bSeenByA != null && aSeenByB != null, "no discovery within 10 s");
          assertEquals(b.peerId(), bSeenByA.peerId());
          assertEquals(b.listenAddresses(), bSeenByA.addresses());
          assertEquals(a.peerId(), aSeenByB.peerId());
          assertEquals(a.listenAddresses(), aSeenByB.addresses());

          // Several query rounds later: still one peer each, never itself, no repeated news.
          Thread.sleep(1_000);
          assertEquals(List.of(b.peerId()), mdnsA.peers().stream().map(DiscoveredPeer::peerId).toList());
          assertEquals(List.of(a.peerId()), mdnsB.peers().stream().map(DiscoveredPeer::peerId).toList());
          assertTrue(heardByA.isEmpty() && heardByB.isEmpty(), "refreshes are not news");

          // What was discovered is dialable, and the dial proves the peer id.
          assertTrue(a.ping(bSeenByA.addresses().get(0)).compareTo(Duration.ZERO) > 0);
        } finally {
          mdnsB.close();
        }
        waitFor(() -> mdnsA.peers().isEmpty(), "A still lists B after B's goodbye");
        assertEquals(0, ((MdnsService) mdnsA).droppedPackets());
      }
    }
  }

  @Test
  void loopbackAddresses_areNotAnnounced_unlessConfigured() throws Exception {
    MdnsConfig quiet = loopbackConfig().withAnnounceLoopback(false);
    try (Ed25519Identity idA = Ed25519Identity.generate();
        Ed25519Identity idB = Ed25519Identity.generate();
        Host b = P2pModule.newHost(idB, HostConfig.defaults())) {
      b.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
      BlockingQueue<DiscoveredPeer> heardByA = new LinkedBlockingQueue<>();
      try (Mdns mdnsA = MdnsModule.start(quiet, idA.peerId(), List::of, heardByA::add);
          Mdns mdnsB = MdnsModule.start(quiet, b.peerId(), b::listenAddresses, p -> {})) {
        assertEquals(null, heardByA.poll(2, TimeUnit.SECONDS));
        assertTrue(mdnsA.peers().isEmpty());
      }
    }
  }

  @Test
  void aListenerThatThrows_doesNotStopDiscovery() throws Exception {
    MdnsConfig config = loopbackConfig();
    try (Ed25519Identity idA = Ed25519Identity.generate();
        Ed25519Identity idB = Ed25519Identity.generate();
        Ed25519Identity idC = Ed25519Identity.generate()) {
      List<Multiaddr> addrB = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/1/p2p/" + idB.peerId()));
      List<Multiaddr> addrC = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/2/p2p/" + idC.peerId()));
      try (Mdns mdnsA = MdnsModule.start(config, idA.peerId(), List::of, p -> {
            throw new IllegalStateException("listener bug");
          });
          Mdns mdnsB = MdnsModule.start(config, idB.peerId(), () -> addrB, p -> {});
          Mdns mdnsC = MdnsModule.start(config, idC.peerId(), () -> addrC, p -> {})) {
        waitFor(() -> mdnsA.peers().size() == 2, "A did not keep discovering after a throw");
      }
    }
  }

  @Test
  void start_onAnInterfaceThatDoesNotExist_failsClearly() {
    P2pException e =
        assertThrows(
            P2pException.class,
            () -> MdnsModule.start(MdnsConfig.on("no-such-nic0"), peer(), List::of, p -> {}));
    assertEquals(P2pException.Reason.IO, e.reason());
    assertTrue(e.getMessage().contains("no-such-nic0"), e.getMessage());
  }

  private static MdnsConfig loopbackConfig() throws Exception {
    return MdnsConfig.on(lo)
        .withGroup(MdnsConfig.IPV4_GROUP, LoopbackMulticast.freeUdpPort())
        .withQueryInterval(Duration.ofMillis(300))
        .withAnnounceLoopback(true);
  }

  private static dev.mnode.p2p.PeerId peer() {
    try (Ed25519Identity id = Ed25519Identity.generate()) {
      return id.peerId();
    }
  }

  private static void waitFor(BooleanSupplier condition, String failure) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(failure);
      }
      Thread.sleep(50);
    }
  }
}
