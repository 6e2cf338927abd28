package dev.mnode.node.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.cloud.BlobInfo;
import dev.mnode.cloud.BlobStore;
import dev.mnode.cloud.BlobStoreException;
import dev.mnode.cloud.BlobStoreOptions;
import dev.mnode.cloud.BlobStores;
import dev.mnode.cloud.Page;
import dev.mnode.node.LocalMemoryService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay as an adversary: it drops, duplicates, reorders, bit-flips and truncates blobs, serves
 * another vault's blob and replays an old blob under a newer name. The device applies nothing from
 * a damaged blob, reports each, and converges once a correct listing is served.
 */
class AdversarialRelayTest {
  @TempDir Path tmp;

  /** A store that answers through the real one, with the changes the test asks for. */
  static final class Hostile implements BlobStore {
    final BlobStore real;
    final Map<String, UnaryOperator<byte[]>> alter = new HashMap<>();
    final Set<String> dropped = new java.util.HashSet<>();
    final List<BlobInfo> extra = new ArrayList<>();
    boolean reverseAndDuplicate;

    Hostile(BlobStore real) {
      this.real = real;
    }

    @Override
    public boolean putIfAbsent(String name, byte[] data) throws BlobStoreException {
      return real.putIfAbsent(name, data);
    }

    @Override
    public Optional<byte[]> get(String name) throws BlobStoreException {
      UnaryOperator<byte[]> f = alter.get(name);
      Optional<byte[]> b = real.get(name);
      return f == null ? b : Optional.of(f.apply(b.orElse(new byte[0])));
    }

    @Override
    public Page list(String prefix, @Nullable String pageToken, int max) throws BlobStoreException {
      Page p = real.list(prefix, pageToken, max);
      List<BlobInfo> out = new ArrayList<>();
      for (BlobInfo b : p.blobs()) {
        if (!dropped.contains(b.name())) {
          UnaryOperator<byte[]> f = alter.get(b.name());
          long size = f == null ? b.size() : f.apply(real.get(b.name()).orElseThrow()).length;
          out.add(new BlobInfo(b.name(), size));
        }
      }
      if (pageToken == null) {
        out.addAll(extra);
      }
      if (reverseAndDuplicate) {
        List<BlobInfo> twice = new ArrayList<>(out);
        twice.addAll(out);
        java.util.Collections.reverse(twice);
        out = twice;
      }
      return new Page(out, p.nextToken());
    }

    @Override
    public void delete(String name) throws BlobStoreException {
      real.delete(name);
    }

    @Override
    public void close() {
      real.close();
    }
  }

  @Test
  void hostileRelay_deviceAcceptsNothingWrong_reportsEach_andHealsFromACorrectListing() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("relay"));
    Path otherDir = Files.createDirectory(tmp.resolve("other-relay"));
    try (BlobStore honest = BlobStores.open(dir.toUri(), BlobStoreOptions.defaults());
        BlobStore other = BlobStores.open(otherDir.toUri(), BlobStoreOptions.defaults())) {
      Devices d = new Devices(tmp.resolve("homes"));
      d.init("alice", List.of("work|Kickoff in the tangerine-room"));
      d.join("alice", "bob", List.of("work"));
      // Keys cross honestly first: alice, bob, alice, bob.
      for (String who : List.of("alice", "bob", "alice", "bob")) {
        d.round(who, honest);
      }
      assertEquals(d.digests("alice"), d.digests("bob"));

      // Another vault writes to its own relay: a blob to serve in ours.
      Devices stranger = new Devices(tmp.resolve("stranger"));
      stranger.init("carol", List.of("work|Carol's vault, never to be read by bob"));
      stranger.round("carol", other);
      byte[] foreign = other.get(Devices.all(other).get(0).name()).orElseThrow();

      // Alice writes five memories, one round each: five segments, one memory each.
      List<String> segments = new ArrayList<>();
      List<String> texts = List.of("flipped", "truncated", "foreign", "replayed", "dropped", "kept");
      for (String t : texts) {
        Set<String> before = names(honest);
        try (LocalMemoryService a = d.open("alice")) {
          Devices.remember(a, "work|Segment memory " + t);
        }
        d.round("alice", honest);
        Set<String> after = names(honest);
        after.removeAll(before);
        assertEquals(1, after.size(), "one new segment for " + t);
        segments.add(after.iterator().next());
      }
      byte[] firstOfAlice = honest.get(segments.get(0)).orElseThrow();

      Hostile h = new Hostile(honest);
      h.alter.put(segments.get(0), b -> { byte[] c = b.clone(); c[c.length / 2] ^= 0x01; return c; });
      h.alter.put(segments.get(1), b -> Arrays.copyOf(b, b.length - 1000));
      h.alter.put(segments.get(2), b -> foreign);
      h.alter.put(segments.get(3), b -> firstOfAlice);
      h.dropped.add(segments.get(4));
      String prefix = segments.get(0).substring(0, segments.get(0).indexOf('/'));
      String planted = prefix + "/" + "0".repeat(64);
      honest.putIfAbsent(planted, foreign); // a blob of another vault under our prefix
      h.reverseAndDuplicate = true;

      RelayReport hostile = d.round("bob", h);
      Map<String, String> why = new HashMap<>();
      hostile.rejected().forEach(r -> why.put(r.name(), r.reason()));
      assertTrue(why.get(segments.get(0)).startsWith("does not open"), why.toString());
      assertTrue(why.get(segments.get(1)).contains("not a padded segment size"), why.toString());
      assertTrue(why.get(segments.get(2)).startsWith("does not open"), why.toString());
      assertTrue(why.get(segments.get(3)).startsWith("does not open"), why.toString());
      assertTrue(why.get(planted).startsWith("does not open"), why.toString());
      assertEquals(5, hostile.rejected().size(), "each damaged blob reported once: " + hostile.rejected());
      List<String> bobs = d.texts("bob");
      // The intact last segment was read, but its bundle waits for the author's earlier seqs.
      assertEquals(5, hostile.downloaded(), "flipped, foreign, replayed, planted and kept fetched; truncated refused by size: " + hostile);
      for (String t : texts) {
        assertFalse(bobs.contains("Segment memory " + t), t + " came through a damaged or dropped blob");
      }
      assertTrue(bobs.stream().noneMatch(t -> t.contains("Carol")), bobs.toString());
      assertTrue(d.texts("alice").containsAll(bobs), "bob holds nothing alice did not write");

      // A correct listing (the planted blob stays: it is rejected again, and nothing else is).
      RelayReport healed = d.round("bob", honest);
      assertEquals(1, healed.rejected().size(), healed.rejected().toString());
      assertEquals(planted, healed.rejected().get(0).name());
      assertEquals(d.digests("alice"), d.digests("bob"));
      assertEquals(d.texts("alice"), d.texts("bob"));
    }
  }

  /**
   * A segment the relay drops is filled in by the other carrier: the two devices meet once over
   * libp2p on 127.0.0.1, and the relay's later rounds, still without that blob, change nothing.
   */
  @Test
  void aDroppedSegment_isHealedByThePeerToPeerCarrier() throws Exception {
    Path relay = java.nio.file.Files.createDirectory(tmp.resolve("relay-p2p"));
    try (BlobStore honest = BlobStores.open(relay.toUri(), dev.mnode.cloud.BlobStoreOptions.defaults())) {
      Devices d = new Devices(tmp.resolve("homes-p2p"));
      d.init("alice", List.of("work|Kickoff in the tangerine-room"));
      d.join("alice", "bob", List.of("work"));
      for (String who : List.of("alice", "bob", "alice", "bob")) {
        d.round(who, honest);
      }
      List<String> segments = new ArrayList<>();
      for (String t : List.of("lost at the relay", "behind the lost one")) {
        Set<String> before = names(honest);
        try (LocalMemoryService a = d.open("alice")) {
          Devices.remember(a, "work|Segment memory " + t);
        }
        d.round("alice", honest);
        Set<String> after = names(honest);
        after.removeAll(before);
        segments.add(after.iterator().next());
      }
      Hostile h = new Hostile(honest);
      h.dropped.add(segments.get(0));
      d.round("bob", h);
      assertFalse(d.texts("bob").contains("Segment memory behind the lost one"), "waits for the dropped seq");

      try (LocalMemoryService a = d.open("alice"); LocalMemoryService b = d.open("bob");
          dev.mnode.p2p.Ed25519Identity aid = identity(a); dev.mnode.p2p.Ed25519Identity bid = identity(b);
          dev.mnode.node.peer.PeerSync pa = dev.mnode.node.peer.PeerSync.start(a.replica(), aid, loopback(List.of()), d.clock, w -> {});
          dev.mnode.node.peer.PeerSync pb = dev.mnode.node.peer.PeerSync.start(b.replica(), bid, loopback(pa.listenAddresses()), d.clock, w -> {})) {
        String want = a.status().digests().get("work");
        long end = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (!want.equals(b.status().digests().get("work"))) {
          assertTrue(System.nanoTime() < end, "the peer-to-peer carrier did not fill the gap");
          Thread.sleep(20);
        }
      }
      assertEquals(d.texts("alice"), d.texts("bob"));
      RelayReport again = d.round("bob", h);
      assertTrue(again.rejected().isEmpty(), again.rejected().toString());
      assertEquals(d.digests("alice"), d.digests("bob"));
    }
  }

  private static dev.mnode.p2p.Ed25519Identity identity(LocalMemoryService s) throws Exception {
    try (dev.mnode.crypto.SecretBytes seed = s.deviceSeed()) {
      return dev.mnode.p2p.Ed25519Identity.fromSeed(seed.copy());
    }
  }

  private static dev.mnode.node.peer.PeerOptions loopback(List<dev.mnode.p2p.Multiaddr> peers) throws Exception {
    return new dev.mnode.node.peer.PeerOptions(
        List.of(dev.mnode.p2p.Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), peers, null, java.time.Duration.ofSeconds(2),
        java.time.Duration.ofMillis(20), java.time.Duration.ofSeconds(2));
  }

  private static Set<String> names(BlobStore s) throws Exception {
    Set<String> out = new java.util.HashSet<>();
    Devices.all(s).forEach(b -> out.add(b.name()));
    return out;
  }
}
