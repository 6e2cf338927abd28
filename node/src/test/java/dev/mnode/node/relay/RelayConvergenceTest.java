package dev.mnode.node.relay;

import dev.mnode.cloud.S3TestServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.cloud.BlobInfo;
import dev.mnode.cloud.BlobStore;
import dev.mnode.cloud.BlobStores;
import dev.mnode.node.LocalMemoryService;
import dev.mnode.node.MemoryPatch;
import dev.mnode.store.Memory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two devices of one vault that are never open at the same time converge through a relay alone
 * (a folder, and a real S3 server), key exchange included; and nothing the relay stores names a
 * class, tag, text, device or vault, nor has a size outside the padding buckets.
 */
class RelayConvergenceTest {
  @TempDir Path tmp;

  static final List<String> ALICE = List.of(
      "work|The marmalade-orbit release ships on Thursday",
      "health|Allergic to periwinkle-lantern pollen",
      "personal|Anniversary dinner at the copper-heron bistro");

  @Test
  void folderRelay_devicesNeverOnlineTogether_convergeAndStoreNothingReadable() throws Exception {
    Path relay = Files.createDirectory(tmp.resolve("relay"));
    try (BlobStore store = BlobStores.open(relay.toUri(), dev.mnode.cloud.BlobStoreOptions.defaults())) {
      Devices d = new Devices(tmp.resolve("homes"));
      List<String> written = converge(d, store);
      scan(d, store, written);
    }
  }

  @Test
  void s3Relay_devicesNeverOnlineTogether_converge() throws Exception {
    try (S3TestServer s3 = new S3TestServer();
        BlobStore store = BlobStores.open(java.net.URI.create("s3://" + S3TestServer.BUCKET + "/mnode"), s3.options())) {
      Devices d = new Devices(tmp.resolve("homes"));
      List<String> written = converge(d, store);
      scan(d, store, written);
    }
  }

  /**
   * Through Dropbox's API, as the official SDK speaks it, to a local stand-in server (from the
   * cloud adapters' tests): Dropbox itself cannot be reached from here, and the stand-in is NOT
   * Dropbox.
   */
  @Test
  void dropboxRelay_throughAStandInForItsApi_devicesNeverOnlineTogether_converge() throws Exception {
    try (dev.mnode.cloud.DropboxStandInServer dropbox = new dev.mnode.cloud.DropboxStandInServer("relay-test-token");
        BlobStore store = BlobStores.open(java.net.URI.create("dropbox:/Apps/mnode"),
            dev.mnode.cloud.BlobStoreOptions.defaults().withEnvironment(java.util.Map.of())
                .withDropbox(dev.mnode.cloud.Secret.of("relay-test-token"), dropbox.endpoint()))) {
      Devices d = new Devices(tmp.resolve("homes"));
      List<String> written = converge(d, store);
      scan(d, store, written);
    }
  }

  @Test
  void roundsAfterSingleWrites_leaveABoundedNumberOfSegments_andStillConverge() throws Exception {
    Path relay = Files.createDirectory(tmp.resolve("relay"));
    try (BlobStore store = BlobStores.open(relay.toUri(), dev.mnode.cloud.BlobStoreOptions.defaults())) {
      Devices d = new Devices(tmp.resolve("homes"));
      d.init("alice", ALICE);
      d.join("alice", "bob", List.of("work", "health", "personal"));
      for (int i = 0; i < 2; i++) {
        d.round("alice", store);
        d.round("bob", store);
      }
      int most = 0;
      int rewrites = 0;
      int writes = RelaySync.SCATTER_SLACK + 10;
      for (int i = 0; i < writes; i++) {
        try (LocalMemoryService alice = d.open("alice")) {
          Devices.remember(alice, "work|Standup note " + i + " about the cobalt-harbor rollout");
          RelayReport r = RelaySync.round(alice, store, "test-relay", d.home("alice").dir().resolve("relay-state/test.state"),
              dev.mnode.node.ProgressListener.NONE, d.warnings::add);
          rewrites += r.deleted() > 0 ? 1 : 0;
        }
        most = Math.max(most, Devices.all(store).size());
      }
      assertTrue(rewrites >= 1, "alice's small segments were rewritten as one");
      assertTrue(most <= 2 + RelaySync.SCATTER_SLACK + 4, "the relay never held more than that: " + most);
      for (int i = 0; i < 3 && !d.digests("alice").equals(d.digests("bob")); i++) {
        d.round("bob", store);
        d.round("alice", store);
      }
      assertEquals(d.digests("alice"), d.digests("bob"));
      assertEquals(writes + ALICE.size(), d.texts("bob").size());
    }
  }

  /** Alice and Bob take turns, each alone, until their digests agree; returns every text written. */
  private static List<String> converge(Devices d, BlobStore store) throws Exception {
    d.init("alice", ALICE);
    d.join("alice", "bob", List.of("work", "health", "personal"));
    List<String> written = new ArrayList<>(ALICE.stream().map(t -> t.split("\\|", 2)[1]).toList());

    RelayReport a1 = d.round("alice", store);
    assertTrue(a1.uploaded() >= 1 && a1.bundlesOut() >= 3, a1.toString());
    RelayReport b1 = d.round("bob", store); // ops and bundles arrive; the keys not yet
    assertTrue(b1.downloaded() >= 1 && b1.bundlesIn() >= 3, b1.toString());
    d.round("alice", store); // learns bob's prekey from the relay, seals him the class keys
    d.round("bob", store);
    assertEquals(d.digests("alice"), d.digests("bob"), "bob opened alice's bundles with keys from the relay");

    // Both write while the other is away: an edit, a forget, new memories.
    String fromBob = "Bob's saffron-kettle laptop runs the staging deploys";
    String alicesEdit = "The marmalade-orbit release slipped to Friday";
    written.add(fromBob);
    written.add(alicesEdit);
    try (LocalMemoryService bob = d.open("bob")) {
      Memory m = Devices.remember(bob, "work|" + fromBob);
      assertTrue(m.id() != null);
    }
    d.round("bob", store);
    try (LocalMemoryService alice = d.open("alice")) {
      Memory release = alice.list(new dev.mnode.node.ListQuery(List.of("work"), null, null, null, null, 100)).stream()
          .filter(m -> m.text().contains("marmalade")).findFirst().orElseThrow();
      alice.update(release.id().toString(), new MemoryPatch(alicesEdit, null, null, null, null, null, Map.of(), null));
      Memory pollen = alice.list(new dev.mnode.node.ListQuery(List.of("health"), null, null, null, null, 100)).get(0);
      alice.forget(pollen.id().toString());
    }
    for (int i = 0; i < 4 && !d.digests("alice").equals(d.digests("bob")); i++) {
      d.round("alice", store);
      d.round("bob", store);
    }
    assertEquals(d.digests("alice"), d.digests("bob"));
    List<String> texts = d.texts("bob");
    assertTrue(texts.contains(alicesEdit) && texts.contains(fromBob), texts.toString());
    assertTrue(texts.stream().noneMatch(t -> t.contains("periwinkle")), "alice's forget reached bob: " + texts);
    assertEquals(d.texts("alice"), texts);
    return written;
  }

  /** Every byte stored: no class name, tag, text, device key or vault id; sizes only in the buckets. */
  private static void scan(Devices d, BlobStore store, List<String> texts) throws Exception {
    List<String> needles = new ArrayList<>(texts);
    needles.addAll(List.of("zebra-quartz-tag", "health", "personal", "marmalade", "work|", "mnode"));
    List<byte[]> raw = new ArrayList<>();
    needles.forEach(n -> raw.add(n.getBytes(StandardCharsets.UTF_8)));
    List<String> hexNeedles = new ArrayList<>();
    try (LocalMemoryService alice = d.open("alice")) {
      var r = alice.replica();
      raw.add(r.vault().toByteArray());
      hexNeedles.add(r.vault().hex());
      for (var dev : r.devices()) {
        raw.add(dev.key().key().toByteArray());
        hexNeedles.add(dev.key().key().hex());
      }
      for (var tag : r.versionVectors().keySet()) {
        raw.add(tag.tag().toByteArray());
        hexNeedles.add(tag.tag().hex());
      }
    }
    List<BlobInfo> blobs = Devices.all(store);
    assertTrue(blobs.size() >= 4, "blobs: " + blobs.size());
    for (BlobInfo b : blobs) {
      assertTrue(Segment.isSealedSize(b.size()), b.name() + " has size " + b.size() + ", not 2^k + 40");
      for (String h : hexNeedles) {
        assertTrue(!b.name().contains(h.substring(0, 16)), b.name() + " names a key, tag or vault");
      }
      byte[] data = store.get(b.name()).orElseThrow();
      assertEquals(b.size(), data.length);
      for (byte[] n : raw) {
        assertEquals(-1, indexOf(data, n), b.name() + " holds " + HexFormat.of().formatHex(n));
      }
      String latin = new String(data, StandardCharsets.ISO_8859_1);
      for (String h : hexNeedles) {
        assertTrue(!latin.contains(h), b.name() + " holds the hex " + h);
      }
    }
  }

  static int indexOf(byte[] hay, byte[] needle) {
    return dev.mnode.store.rocks.OldCopyAttack.indexOf(hay, needle);
  }
}
