package dev.mnode.p2p.mdns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.PeerId;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounded table of discovered peers, and which addresses are announced, with a fixed clock. */
class MdnsPeerTableTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void peer_expiresAtItsTtl_cappedByOurs_andIsToldOnlyWhenNewOrChanged() throws Exception {
    PeerId a = peer();
    PeerTable t = new PeerTable(8, Duration.ofSeconds(120));
    Announcement first = announce("aa", 3600, a, "/ip4/10.0.0.1/tcp/1");
    assertTrue(t.update(first, T0).isPresent());
    assertTrue(t.update(first, T0.plusSeconds(1)).isEmpty(), "a refresh is not news");
    assertEquals(T0.plusSeconds(121), t.live(T0.plusSeconds(1)).get(0).expires());
    assertEquals(1, t.live(T0.plusSeconds(120)).size());
    assertEquals(0, t.live(T0.plusSeconds(121)).size(), "kept at most our TTL, not its 3600 s");

    assertTrue(t.update(first, T0.plusSeconds(200)).isPresent(), "back after expiry: news");
    Announcement moved = announce("aa", 60, a, "/ip4/10.0.0.2/tcp/1");
    assertEquals(
        List.of(Multiaddr.parse("/ip4/10.0.0.2/tcp/1/p2p/" + a)),
        t.update(moved, T0.plusSeconds(201)).orElseThrow().addresses());
  }

  @Test
  void goodbye_dropsThePeerAtOnce() throws Exception {
    PeerTable t = new PeerTable(8, Duration.ofSeconds(120));
    t.update(announce("aa", 120, peer(), "/ip4/10.0.0.1/tcp/1"), T0);
    t.update(new Announcement("aa", 0, List.of()), T0.plusSeconds(1));
    assertEquals(List.of(), t.live(T0.plusSeconds(1)));
  }

  @Test
  void fullTable_ignoresNewPeers_keepsKnownOnes_untilEntriesExpire() throws Exception {
    PeerTable t = new PeerTable(2, Duration.ofSeconds(120));
    PeerId known = peer();
    t.update(announce("k", 120, known, "/ip4/10.0.0.1/tcp/1"), T0);
    t.update(announce("f1", 10, peer(), "/ip4/10.0.0.9/tcp/1"), T0);
    assertTrue(t.update(announce("f2", 10, peer(), "/ip4/10.0.0.9/tcp/2"), T0).isEmpty());
    assertEquals(2, t.size());
    assertTrue(t.update(announce("k", 120, known, "/ip4/10.0.0.1/tcp/1"), T0.plusSeconds(5))
        .isEmpty());
    assertTrue(t.live(T0.plusSeconds(5)).stream().anyMatch(p -> p.peerId().equals(known)));
    assertTrue(t.update(announce("f3", 10, peer(), "/ip4/10.0.0.9/tcp/3"), T0.plusSeconds(11))
        .isPresent(), "room again once the flood expired");
  }

  @Test
  void announced_onlyTheInterfacesAddresses_unspecifiedExpanded_loopbackOnlyIfAsked()
      throws Exception {
    PeerId self = peer();
    List<InetAddress> nic =
        List.of(InetAddress.getByName("192.168.1.7"), InetAddress.getByName("fe80::1"),
            InetAddress.getByName("fd00::7"));
    List<Multiaddr> listen =
        List.of(
            Multiaddr.parse("/ip4/0.0.0.0/tcp/4001"),
            Multiaddr.parse("/ip6/::/tcp/4001"),
            Multiaddr.parse("/ip4/127.0.0.1/tcp/4002/p2p/" + self),
            Multiaddr.parse("/ip4/10.8.0.2/tcp/4003"), // another interface (a VPN): not announced
            Multiaddr.parse("/ip4/192.168.1.7/udp/4004")); // not TCP
    assertEquals(
        List.of(
            Multiaddr.parse("/ip4/192.168.1.7/tcp/4001/p2p/" + self),
            Multiaddr.parse("/ip6/fd00::7/tcp/4001/p2p/" + self)),
        LanAddresses.toAnnounce(listen, self, nic, false, 16));
    assertEquals(
        Multiaddr.parse("/ip4/127.0.0.1/tcp/4002/p2p/" + self),
        LanAddresses.toAnnounce(listen, self, nic, true, 16).get(2));
    assertEquals(1, LanAddresses.toAnnounce(listen, self, nic, true, 1).size());
  }

  @Test
  void linkState_onLinkIsThePrefix_orIpv6LinkLocal() throws Exception {
    LinkState link =
        new LinkState(List.of(InetAddress.getByName("192.168.1.7")), List.of(23));
    assertTrue(link.onLink(InetAddress.getByName("192.168.0.1")));
    assertTrue(link.onLink(InetAddress.getByName("192.168.1.255")));
    assertTrue(!link.onLink(InetAddress.getByName("192.168.2.1")));
    assertTrue(!link.onLink(InetAddress.getByName("127.0.0.1")));
    assertTrue(link.onLink(InetAddress.getByName("fe80::2")));
    assertTrue(!link.onLink(InetAddress.getByName("fd00::2")));
  }

  private static Announcement announce(String name, long ttl, PeerId id, String addr)
      throws Exception {
    return new Announcement(name, ttl, List.of(Multiaddr.parse(addr + "/p2p/" + id)));
  }

  private static PeerId peer() {
    try (Ed25519Identity id = Ed25519Identity.generate()) {
      return id.peerId();
    }
  }
}
