package dev.mnode.node.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.cloud.BlobInfo;
import dev.mnode.cloud.BlobStore;
import dev.mnode.cloud.BlobStores;
import dev.mnode.cloud.S3TestServer;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.node.ListQuery;
import dev.mnode.node.LocalMemoryService;
import dev.mnode.node.NodeModule;
import dev.mnode.node.ProgressListener;
import dev.mnode.node.StolenKeys;
import dev.mnode.node.aging.CompactReport;
import dev.mnode.store.Memory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forgetting is final: an adversary keeps a copy of every relay blob and of every device's files
 * (but their key files) from before a forget, the devices forget and compact, and then the
 * adversary takes every key every device holds. With all of that it opens no bundle holding the
 * forgotten text, no key envelope, and no old file showing the text. The same attack on the relay
 * copy before the compaction finds the text, so the test can fail. A revoked device, likewise, opens
 * nothing written after its revocation from the relay.
 */
class ForgetIsFinalTest {
  @TempDir Path tmp;

  static final String SECRET = "The tangerine-glacier biopsy came back benign";
  static final List<String> ALICE = List.of(
      "health|" + SECRET,
      "health|Takes the velvet-comet tablets at breakfast",
      "work|The basalt-lantern migration is due in March",
      "personal|Sister's birthday is the ninth of May");

  @Test
  void folderRelay_aForgottenMemory_cannotBeRecovered_fromSavedBlobsWithEveryCurrentKey() throws Exception {
    Path relay = Files.createDirectory(tmp.resolve("relay"));
    try (BlobStore store = BlobStores.open(relay.toUri(), dev.mnode.cloud.BlobStoreOptions.defaults())) {
      forgetIsFinal(new Devices(tmp.resolve("homes")), store);
    }
  }

  @Test
  void s3Relay_aForgottenMemory_cannotBeRecovered_fromSavedBlobsWithEveryCurrentKey() throws Exception {
    try (S3TestServer s3 = new S3TestServer();
        BlobStore store = BlobStores.open(java.net.URI.create("s3://" + S3TestServer.BUCKET + "/mnode"), s3.options())) {
      forgetIsFinal(new Devices(tmp.resolve("homes")), store);
    }
  }

  private static void forgetIsFinal(Devices d, BlobStore store) throws Exception {
    d.init("alice", ALICE);
    d.join("alice", "bob", List.of("work", "health", "personal"));
    for (int i = 0; i < 3; i++) {
      d.round("alice", store);
      d.round("bob", store);
    }
    assertEquals(d.digests("alice"), d.digests("bob"));
    assertTrue(d.texts("bob").contains(SECRET));

    // The adversary copies every blob the relay holds.
    Map<String, byte[]> saved = new LinkedHashMap<>();
    for (BlobInfo b : Devices.all(store)) {
      saved.put(b.name(), store.get(b.name()).orElseThrow());
    }
    // ... and every file of both homes but their key files.
    for (String name : List.of("alice", "bob")) {
      dev.mnode.node.OldHomeAttack.copyHome(d.home(name).dir(), d.dir.resolve("copy-" + name));
    }
    Attack control = attack(d, saved);
    assertTrue(control.textBundles > 0, "control: with the keys held before compaction the saved blobs reveal the text: " + control);
    assertTrue(control.envelopes > 0, "control: saved envelopes open with the prekeys held before compaction: " + control);

    // Bob forgets it; alice compacts (as `mnode compact` does); both sync through the relay alone.
    try (LocalMemoryService bob = d.open("bob")) {
      Memory m = bob.list(new ListQuery(List.of("health"), null, null, null, null, 100)).stream()
          .filter(x -> x.text().equals(SECRET)).findFirst().orElseThrow();
      bob.forget(m.id().toString());
    }
    d.round("bob", store);
    d.round("alice", store);
    try (LocalMemoryService alice = d.open("alice")) {
      CompactReport r = NodeModule.compact(alice, false, ProgressListener.NONE);
      assertEquals(1, r.sealed().size(), r.sealed()::toString);
      assertEquals("health", r.sealed().get(0).memoryClass());
      assertEquals(1, r.sealed().get(0).retiredKeys());
    }
    RelayReport a = d.round("alice", store);
    assertTrue(a.deleted() > 0, "alice deleted her superseded segments: " + a);
    RelayReport b = d.round("bob", store);
    assertTrue(b.deleted() > 0, "bob, having applied the snapshot, deleted his: " + b);
    d.round("alice", store);
    d.round("bob", store);
    for (String name : List.of("alice", "bob")) {
      try (LocalMemoryService s = d.open(name)) {
        NodeModule.compact(s, false, ProgressListener.NONE);
      }
    }
    assertEquals(d.digests("alice"), d.digests("bob"));
    for (String name : List.of("alice", "bob")) {
      List<String> texts = d.texts(name);
      assertFalse(texts.contains(SECRET), name + ": " + texts);
      assertTrue(texts.contains("Takes the velvet-comet tablets at breakfast"), name + " keeps the rest of the class: " + texts);
    }
    List<String> listed = Devices.all(store).stream().map(BlobInfo::name).toList();
    for (String old : saved.keySet()) {
      assertFalse(listed.contains(old), "every segment from before the compaction is gone from the relay: " + old);
    }

    for (String name : List.of("alice", "bob")) {
      assertEquals(List.of(), dev.mnode.node.OldHomeAttack.hits(d.home(name), d.dir.resolve("copy-" + name), null, SECRET, d.dir),
          name + ": no file copied before shows the text to the keys the device holds now");
    }
    Attack after = attack(d, saved);
    assertEquals(0, after.textBundles, "no current key opens a saved bundle holding the forgotten text: " + after);
    assertEquals(0, after.envelopes, "no current prekey opens a saved envelope: " + after);
    assertTrue(after.keys > 0 && after.segments == saved.size(), "the attack had keys and opened every saved segment: " + after);

    // Writing goes on under the new key, through the relay.
    try (LocalMemoryService alice = d.open("alice")) {
      Devices.remember(alice, "health|Physio on Wednesdays from now on");
    }
    d.round("alice", store);
    d.round("bob", store);
    assertTrue(d.texts("bob").contains("Physio on Wednesdays from now on"));
  }

  @Test
  void aRevokedDevice_opensNothingWrittenAfterItsRevocation_fromTheRelay() throws Exception {
    Path relay = Files.createDirectory(tmp.resolve("relay"));
    try (BlobStore store = BlobStores.open(relay.toUri(), dev.mnode.cloud.BlobStoreOptions.defaults())) {
      Devices d = new Devices(tmp.resolve("homes"));
      d.init("alice", ALICE);
      d.join("alice", "carol", List.of("work", "health"));
      for (int i = 0; i < 3; i++) {
        d.round("alice", store);
        d.round("carol", store);
      }
      assertEquals(d.digests("alice").get("health"), d.digests("carol").get("health"));
      String later = "The ochre-pelican referral is booked for June";
      try (LocalMemoryService alice = d.open("alice")) {
        var carol = alice.replica().devices().stream().filter(x -> x.name().equals("carol")).findFirst().orElseThrow();
        alice.replica().revoke(carol.key());
        Devices.remember(alice, "health|" + later);
      }
      for (int i = 0; i < 2; i++) {
        d.round("alice", store);
        d.round("carol", store);
      }
      assertFalse(d.texts("carol").contains(later), "carol never gets what was written after her revocation");
      int laterBundles = 0;
      try (LocalMemoryService alice = d.open("alice"); LocalMemoryService carolHome = d.open("carol");
          StolenKeys fromAlice = StolenKeys.of(alice); StolenKeys fromCarol = StolenKeys.of(carolHome);
          SecretBytes vs = fromCarol.vaultSecret(); RelayKeys rk = new RelayKeys(vs, carolHome.replica().vault())) {
        for (BlobInfo b : Devices.all(store)) {
          Segment seg = Segment.decode(rk.open(b.name(), store.get(b.name()).orElseThrow()));
          for (Segment.Entry x : seg.entries()) {
            if (x.kind() != Segment.Kind.BUNDLE) {
              continue;
            }
            byte[] bytes = x.bytes().toByteArray();
            if (fromAlice.open(bytes).filter(body -> StolenKeys.contains(body, later)).isPresent()) {
              laterBundles++;
              assertTrue(fromCarol.open(bytes).isEmpty(), "no key carol holds opens a bundle written after her revocation");
            }
          }
        }
      }
      assertTrue(laterBundles > 0, "control: the later memory is at the relay, and alice's keys open it");
    }
  }

  /** What the adversary got out of the saved blobs with every key the devices hold now. */
  record Attack(int segments, int keys, int bundlesOpened, int textBundles, int envelopes) {}

  private static Attack attack(Devices d, Map<String, byte[]> saved) throws Exception {
    List<StolenKeys> stolen = new ArrayList<>();
    try {
      for (String name : List.of("alice", "bob")) {
        try (LocalMemoryService s = d.open(name)) {
          stolen.add(StolenKeys.of(s));
        }
      }
      int keys = stolen.stream().mapToInt(StolenKeys::epochKeys).sum();
      int segments = 0;
      int opened = 0;
      int text = 0;
      int envelopes = 0;
      try (SecretBytes vs = stolen.get(0).vaultSecret();
          LocalMemoryService alice = d.open("alice");
          RelayKeys rk = new RelayKeys(vs, alice.replica().vault())) {
        for (Map.Entry<String, byte[]> e : saved.entrySet()) {
          Segment seg = Segment.decode(rk.open(e.getKey(), e.getValue()));
          segments++;
          for (Segment.Entry x : seg.entries()) {
            byte[] bytes = x.bytes().toByteArray();
            for (StolenKeys k : stolen) {
              if (x.kind() == Segment.Kind.BUNDLE) {
                var body = k.open(bytes);
                if (body.isPresent()) {
                  opened++;
                  if (StolenKeys.contains(body.get(), SECRET)) {
                    text++;
                  }
                }
              } else if (x.kind() == Segment.Kind.ENVELOPE && k.opensEnvelope(bytes)) {
                envelopes++;
              }
            }
          }
        }
      }
      return new Attack(segments, keys, opened, text, envelopes);
    } finally {
      stolen.forEach(StolenKeys::close);
    }
  }
}
