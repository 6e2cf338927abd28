package dev.mnode.p2p.mdns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.FuzzBudget;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.PeerId;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile and random packets through the whole inbound pipeline: each is either decoded or dropped
 * and counted, never an exception out of the pipeline, and the pipeline always releases the packet.
 * The random part runs a fixed number of rounds under a time limit ({@link FuzzBudget}).
 */
class MdnsFuzzTest {
  private static final int PTR = 12;
  private static final int TXT = 16;

  private record Hostile(String what, byte[] bytes, boolean mustDrop) {}

  @Test
  void hostilePackets_areDroppedAndCounted_orAnnounceNothing_neverThrown_alwaysReleased() {
    List<Hostile> hostile = new ArrayList<>();
    hostile.add(new Hostile("a name that points at itself",
        new MdnsTestPipeline.Bytes().header(0x8400, 0, 1, 0, 0).pointer(12).bytes(), true));
    hostile.add(new Hostile("two names that point at each other",
        new MdnsTestPipeline.Bytes().header(0, 2, 0, 0, 0).pointer(18).u16(PTR).u16(1)
            .pointer(12).u16(PTR).u16(1).bytes(), true));
    hostile.add(new Hostile("a pointer past the end",
        new MdnsTestPipeline.Bytes().header(0, 1, 0, 0, 0).pointer(0x3fff).u16(PTR).u16(1)
            .bytes(), true));
    MdnsTestPipeline.Bytes longName = new MdnsTestPipeline.Bytes().header(0x8400, 0, 1, 0, 0);
    int chainAt = longName.size();
    for (int i = 0; i < 5; i++) {
      longName.labels("a".repeat(63));
    }
    longName.u8(0).pointer(chainAt).u16(PTR).u16(1).u32(120).u16(2).pointer(chainAt);
    hostile.add(new Hostile("a name of 320 bytes", longName.bytes(), true));
    hostile.add(new Hostile("a label length with the reserved 01 prefix",
        new MdnsTestPipeline.Bytes().header(0, 1, 0, 0, 0).u8(0x41).raw(new byte[65]).u8(0)
            .u16(PTR).u16(1).bytes(), true));
    hostile.add(new Hostile("counts of 65535 in every section",
        new MdnsTestPipeline.Bytes().header(0x8400, 0xffff, 0xffff, 0xffff, 0xffff).bytes(),
        true));
    hostile.add(new Hostile("shorter than a header", new byte[] {0, 0, (byte) 0x84, 0, 0}, true));
    byte[] huge = new byte[PacketGuard.MAX_PACKET_BYTES + 1];
    huge[2] = (byte) 0x84;
    hostile.add(new Hostile("longer than 9000 bytes", huge, true));
    hostile.add(new Hostile("a non-zero opcode",
        new MdnsTestPipeline.Bytes().header(0x2800, 1, 0, 0, 0).name("_p2p._udp.local")
            .u16(PTR).u16(1).bytes(), true));
    hostile.add(new Hostile("a non-zero response code",
        new MdnsTestPipeline.Bytes().header(0x8403, 0, 0, 0, 0).bytes(), true));
    // Netty's decoder stops at a record that runs past the end and keeps the ones before: these
    // decode to a response that announces nothing.
    hostile.add(new Hostile("counts that promise more records than the packet holds",
        new MdnsTestPipeline.Bytes().header(0x8400, 0, 40, 0, 20).name("_p2p._udp.local")
            .bytes(), false));
    hostile.add(new Hostile("RDATA longer than the packet",
        new MdnsTestPipeline.Bytes().header(0x8400, 0, 1, 0, 0).name("_p2p._udp.local")
            .u16(TXT).u16(1).u32(120).u16(0xffff).text("dnsaddr=/ip4/1.2.3.4").bytes(), false));
    hostile.add(new Hostile("a TXT string longer than its RDATA",
        new MdnsTestPipeline.Bytes().header(0x8400, 0, 2, 0, 0)
            .name("_p2p._udp.local").u16(PTR).u16(1).u32(120).u16(6).labels("abc").pointer(12)
            .name("abc._p2p._udp.local").u16(TXT).u16(1).u32(120).u16(3).u8(200).u16(0x4142)
            .bytes(), false));

    try (MdnsTestPipeline p = new MdnsTestPipeline()) {
      for (Hostile h : hostile) {
        p.drops.clear();
        p.responses.clear();
        assertEquals(0, p.receive(h.bytes(), MdnsTestPipeline.LOCAL_PEER).refCnt(), h.what());
        if (h.mustDrop()) {
          assertEquals(1, p.drops.size(), h.what() + " was not dropped");
        } else {
          assertTrue(
              p.drops.size() == 1 || p.responses.stream().allMatch(List::isEmpty),
              h.what() + " announced something: " + p.responses);
        }
      }
    }
  }

  @Test
  void randomAndMutatedPackets_neverEscapeThePipeline() throws Exception {
    List<byte[]> seeds = seeds();
    Random random = new Random(0x6d646e73L);
    int rounds = FuzzBudget.rounds(20_000);
    long deadline = System.nanoTime() + FuzzBudget.limit(Duration.ofSeconds(30)).toNanos();
    int decoded = 0;
    try (MdnsTestPipeline p = new MdnsTestPipeline()) {
      for (int i = 0; i < rounds && System.nanoTime() < deadline; i++) {
        byte[] b = FuzzBudget.mutate(random, seeds);
        assertEquals(0, p.receive(b, MdnsTestPipeline.LOCAL_PEER).refCnt());
        for (List<Announcement> r : p.responses) {
          for (Announcement a : r) {
            assertTrue(a.addresses().size() <= 16);
          }
        }
        decoded += p.queries.size() + p.responses.size();
        p.queries.clear();
        p.responses.clear();
        p.drops.clear();
      }
    }
    assertTrue(decoded > 0, "no mutated packet decoded at all: the seeds are broken");
  }

  private static List<byte[]> seeds() throws Exception {
    PeerId peer;
    try (Ed25519Identity id = Ed25519Identity.generate()) {
      peer = id.peerId();
    }
    List<byte[]> seeds = new ArrayList<>();
    try (MdnsTestPipeline p = new MdnsTestPipeline()) {
      seeds.add(p.encode(MdnsRecords.query(MdnsTestPipeline.GROUP)));
      List<Multiaddr> addrs =
          List.of(
              Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/p2p/" + peer),
              Multiaddr.parse("/ip6/::1/tcp/4001/p2p/" + peer));
      seeds.add(
          p.encode(
              MdnsRecords.response(
                  MdnsTestPipeline.GROUP,
                  List.of(new DefaultDnsQuestion(MdnsNames.SERVICE, DnsRecordType.PTR)),
                  MdnsRecords.ownRecords("abcdefghijklmnopqrstuvwxyz012345", addrs, 120),
                  MdnsRecords.metaRecord(120))));
    }
    String dnsaddr = "dnsaddr=/ip4/127.0.0.1/tcp/4001/p2p/" + peer;
    seeds.add(
        new MdnsTestPipeline.Bytes().header(0x8400, 0, 2, 0, 0)
            .name("_p2p._udp.local").u16(PTR).u16(1).u32(120).u16(6).labels("abc").pointer(12)
            .pointer(45).u16(TXT).u16(1).u32(120).u16(1 + dnsaddr.length()).text(dnsaddr)
            .bytes());
    return seeds;
  }
}
