package dev.mnode.p2p.mdns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.PeerId;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DNS messages of libp2p mDNS through Netty's codec and our checks: exact bytes of the query
 * (RFC 1035 section 4.1), round trips of the response, and a response laid out as js-libp2p sends
 * it, written byte by byte with a compression pointer.
 */
class MdnsCodecTest {
  private static final String PEER_NAME = "abcdefghijklmnopqrstuvwxyz012345";
  private static PeerId peer;
  private static PeerId other;

  @BeforeAll
  static void identities() {
    try (Ed25519Identity a = Ed25519Identity.generate();
        Ed25519Identity b = Ed25519Identity.generate()) {
      peer = a.peerId();
      other = b.peerId();
    }
  }

  @Test
  void query_isExactlyOneQuestionForTheServicePtr() {
    try (MdnsTestPipeline p = new MdnsTestPipeline()) {
      byte[] expected =
          new MdnsTestPipeline.Bytes()
              .header(0, 1, 0, 0, 0)
              .name("_p2p._udp.local")
              .u16(12) // PTR
              .u16(1) // IN
              .bytes();
      assertArrayEquals(expected, p.encode(MdnsRecords.query(MdnsTestPipeline.GROUP)));

      assertEquals(0, p.receive(expected, MdnsTestPipeline.LOCAL_PEER).refCnt());
      assertEquals(1, p.queries.size(), "drops: " + p.drops);
      DnsQuestion q = p.queries.get(0).get(0);
      assertTrue(MdnsNames.same(q.name(), MdnsNames.SERVICE));
      assertEquals(DnsRecordType.PTR, q.type());
    }
  }

  @Test
  void response_roundTrips_ptrAnswers_txtSrvAAndAaaaAdditional() throws Exception {
    List<Multiaddr> addrs =
        List.of(
            Multiaddr.parse("/ip4/192.168.1.7/tcp/4001/p2p/" + peer),
            Multiaddr.parse("/ip6/fd00::7/tcp/4001/p2p/" + peer),
            Multiaddr.parse("/ip4/192.168.1.7/tcp/4002/p2p/" + peer));
    try (MdnsTestPipeline p = new MdnsTestPipeline()) {
      DatagramDnsResponse r = servicePtrResponse(addrs, 120);
      assertEquals(1, r.count(DnsSection.ANSWER));
      assertEquals(DnsRecordType.PTR, r.recordAt(DnsSection.ANSWER, 0).type());
      // TXT, SRV per port (2), A, AAAA
      assertEquals(5, r.count(DnsSection.ADDITIONAL));
      assertEquals(0, r.count(DnsSection.QUESTION));
      byte[] bytes = p.encode(r);
      assertEquals(0x84, bytes[2] & 0xff, "QR and AA set");

      p.receive(bytes, new InetSocketAddress("192.168.1.7", 5353));
      // 192.168.1.7 is not on the test pipeline's link (loopback only): dropped before decoding
      assertEquals(List.of("sender not on the link"), p.drops);

      p.receive(bytes, MdnsTestPipeline.LOCAL_PEER);
      assertEquals(1, p.responses.size(), "drops: " + p.drops);
      Announcement a = p.responses.get(0).get(0);
      assertEquals(PEER_NAME, a.peerName());
      assertEquals(120, a.ttlSeconds());
      assertEquals(addrs, a.addresses());
      assertEquals(peer, a.peerId().orElseThrow());
    }
  }

  @Test
  void jsLibp2pStyleResponse_everythingInAnswers_withCompression_isRead() {
    String dnsaddr = "dnsaddr=/ip4/127.0.0.1/tcp/4001/p2p/" + peer;
    MdnsTestPipeline.Bytes b = new MdnsTestPipeline.Bytes().header(0x8400, 0, 2, 0, 0);
    b.name("_p2p._udp.local").u16(12).u16(1).u32(120);
    int rdlength = 1 + PEER_NAME.length() + 2;
    b.u16(rdlength);
    int instanceAt = b.size();
    b.labels(PEER_NAME).pointer(12); // <peer-name> then "_p2p._udp.local" at offset 12
    b.pointer(instanceAt).u16(16).u16(1).u32(120).u16(1 + dnsaddr.length()).text(dnsaddr);
    try (MdnsTestPipeline p = new MdnsTestPipeline()) {
      p.receive(b.bytes(), MdnsTestPipeline.LOCAL_PEER);
      assertEquals(List.of(), p.drops);
      Announcement a = p.responses.get(0).get(0);
      assertEquals(PEER_NAME, a.peerName());
      assertEquals(List.of(Announcements.dnsaddr(dnsaddr).orElseThrow()), a.addresses());
    }
  }

  @Test
  void received_addressesOfAnotherPeer_loopbackFromTheLan_andUnspecified_areSkipped()
      throws Exception {
    List<Multiaddr> addrs =
        List.of(
            Multiaddr.parse("/ip4/127.0.0.1/tcp/1/p2p/" + peer),
            Multiaddr.parse("/ip4/10.0.0.2/tcp/2/p2p/" + peer),
            Multiaddr.parse("/ip4/10.0.0.3/tcp/3/p2p/" + other),
            Multiaddr.parse("/ip4/0.0.0.0/tcp/4/p2p/" + peer));
    DatagramDnsResponse r = servicePtrResponse(addrs, 60);
    try {
      Announcement fromLan = Announcements.read(r, 16, false).get(0);
      assertEquals(List.of(addrs.get(1)), fromLan.addresses());
      // From this machine, loopback is kept. The first address kept names the peer: an address
      // of another peer in its TXT record is skipped.
      Announcement fromHere = Announcements.read(r, 16, true).get(0);
      assertEquals(List.of(addrs.get(0), addrs.get(1)), fromHere.addresses());
      assertEquals(1, Announcements.read(r, 1, true).get(0).addresses().size());
    } finally {
      r.release();
    }
  }

  @Test
  void dnsaddr_needsThePrefixAValidAddressAndAFinalPeerId() {
    assertTrue(Announcements.dnsaddr("dnsaddr=/ip4/1.2.3.4/tcp/1/p2p/" + peer).isPresent());
    assertTrue(Announcements.dnsaddr("DNSADDR=/ip4/1.2.3.4/tcp/1/p2p/" + peer).isPresent());
    assertTrue(Announcements.dnsaddr("dnsaddr=/ip4/1.2.3.4/tcp/1").isEmpty());
    assertTrue(Announcements.dnsaddr("dnsaddr=/p2p/" + peer).isEmpty());
    assertTrue(Announcements.dnsaddr("dnsaddr=/ip4/1.2.3.4/tcp/1/p2p/" + peer + "/tcp/2").isEmpty());
    assertTrue(Announcements.dnsaddr("dnsaddr=/ip4/999.2.3.4/tcp/1/p2p/" + peer).isEmpty());
    assertTrue(Announcements.dnsaddr("addr=/ip4/1.2.3.4/tcp/1/p2p/" + peer).isEmpty());
  }

  @Test
  void metaQuery_isAnsweredWithTheServiceOnly_andOtherQuestionsNotAtAll() throws Exception {
    List<Multiaddr> addrs = List.of(Multiaddr.parse("/ip4/192.168.1.7/tcp/4001/p2p/" + peer));
    DatagramDnsResponse meta =
        MdnsRecords.response(
            MdnsTestPipeline.GROUP,
            List.of(new DefaultDnsQuestion(MdnsNames.META, DnsRecordType.PTR)),
            MdnsRecords.ownRecords(PEER_NAME, addrs, 120),
            MdnsRecords.metaRecord(120));
    try {
      assertEquals(1, meta.count(DnsSection.ANSWER));
      assertEquals(0, meta.count(DnsSection.ADDITIONAL));
    } finally {
      meta.release();
    }
    assertNull(
        MdnsRecords.response(
            MdnsTestPipeline.GROUP,
            List.of(new DefaultDnsQuestion("_ipp._tcp.local.", DnsRecordType.PTR)),
            MdnsRecords.ownRecords(PEER_NAME, addrs, 120),
            MdnsRecords.metaRecord(120)));
    DatagramDnsResponse txt =
        MdnsRecords.response(
            MdnsTestPipeline.GROUP,
            List.of(new DefaultDnsQuestion(MdnsNames.instance(PEER_NAME).toUpperCase(),
                DnsRecordType.TXT, DnsRecord.CLASS_IN | MdnsRecords.UNICAST_RESPONSE)),
            MdnsRecords.ownRecords(PEER_NAME, addrs, 120),
            MdnsRecords.metaRecord(120));
    try {
      assertEquals(DnsRecordType.TXT, txt.recordAt(DnsSection.ANSWER, 0).type());
      assertEquals(1, txt.count(DnsSection.ANSWER));
      assertEquals(3, txt.count(DnsSection.ADDITIONAL)); // PTR, SRV, A
    } finally {
      txt.release();
    }
  }

  @Test
  void txtStrings_roundTrip_andARunawayLengthGivesNothing() {
    var b = Unpooled.buffer();
    try {
      TxtStrings.write(List.of("dnsaddr=/ip4/1.2.3.4/tcp/1", "", "x".repeat(255)), b);
      assertEquals(List.of("dnsaddr=/ip4/1.2.3.4/tcp/1", "", "x".repeat(255)), TxtStrings.read(b, 8));
      assertEquals(List.of(), TxtStrings.read(b, 2), "more strings than allowed");
      b.writerIndex(b.writerIndex() - 1);
      assertEquals(List.of(), TxtStrings.read(b, 8), "last string cut short");
    } finally {
      b.release();
    }
  }

  @Test
  void peerNameOf_acceptsOnlyOneLabelBeforeTheService() {
    assertEquals("abc", MdnsNames.peerNameOf("ABC._p2p._udp.local.").orElseThrow());
    assertEquals("abc", MdnsNames.peerNameOf("abc._p2p._udp.local").orElseThrow());
    assertTrue(MdnsNames.peerNameOf("a.b._p2p._udp.local.").isEmpty());
    assertTrue(MdnsNames.peerNameOf("_p2p._udp.local.").isEmpty());
    assertTrue(MdnsNames.peerNameOf("abc._ipfs._udp.local.").isEmpty());
    assertTrue(MdnsNames.peerNameOf("x".repeat(64) + "._p2p._udp.local.").isEmpty());
    assertTrue(MdnsNames.peerNameOf("abc_p2p._udp.local.").isEmpty());
  }

  private static DatagramDnsResponse servicePtrResponse(List<Multiaddr> addrs, long ttl) {
    return MdnsRecords.response(
        MdnsTestPipeline.GROUP,
        List.of(new DefaultDnsQuestion(MdnsNames.SERVICE, DnsRecordType.PTR)),
        MdnsRecords.ownRecords(PEER_NAME, addrs, ttl),
        MdnsRecords.metaRecord(ttl));
  }
}
