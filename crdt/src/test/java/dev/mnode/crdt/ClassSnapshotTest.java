package dev.mnode.crdt;

import static dev.mnode.crdt.Devices.t;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A device that starts from a snapshot and then receives the tail ends where a full replay ends. */
class ClassSnapshotTest {
  private static final List<String> AUTHORS = List.of("laptop", "phone", "desktop");
  private final Devices devices = new Devices();

  @AfterEach
  void closeDocs() {
    devices.close();
  }

  /** One bundle's worth of changes: an author's entry in the class. */
  private record Entry(String author, long seq, String memory, Changes changes) {}

  /** Three authors create, edit, forget and sync memories of one class; returns every entry. */
  private List<Entry> history(Random rnd, int steps) throws CrdtException {
    Map<String, Map<String, MemoryDoc>> docs = new HashMap<>();
    Map<String, Set<Entry>> seen = new HashMap<>();
    Map<String, Long> seqs = new HashMap<>();
    List<Entry> entries = new ArrayList<>();
    int created = 0;
    for (String a : AUTHORS) {
      docs.put(a, new TreeMap<>());
      seen.put(a, new java.util.HashSet<>());
    }
    for (int step = 0; step < steps; step++) {
      String me = AUTHORS.get(rnd.nextInt(AUTHORS.size()));
      Map<String, MemoryDoc> mine = docs.get(me);
      List<String> live = new ArrayList<>();
      for (Map.Entry<String, MemoryDoc> e : mine.entrySet()) {
        if (e.getValue().materialize().isPresent()) {
          live.add(e.getKey());
        }
      }
      int action = rnd.nextInt(10);
      Optional<Changes> change = Optional.empty();
      String memory;
      if (action < 2 && created < 10 || live.isEmpty()) {
        memory = "m-" + created++;
        MemoryDoc d = devices.empty(me);
        mine.put(memory, d);
        change = Optional.of(d.create(memory, Devices.sample()));
      } else if (action < 4) {
        for (Entry e : entries) { // sync: apply everything this author has not seen
          if (seen.get(me).add(e) && !e.author().equals(me)) {
            mine.computeIfAbsent(e.memory(), id -> devices.empty(me)).applyChanges(e.changes());
          }
        }
        continue;
      } else {
        memory = live.get(rnd.nextInt(live.size()));
        MemoryDoc d = mine.get(memory);
        change = action == 9
            ? d.forget()
            : d.update(MemoryEdit.at(t(step)).text(me + " wrote " + step).addTag("t" + rnd.nextInt(5)).build());
      }
      if (change.isPresent()) {
        long seq = seqs.merge(me, 1L, Long::sum);
        Entry e = new Entry(me, seq, memory, Devices.wire(change.get()));
        entries.add(e);
        seen.get(me).add(e);
      }
    }
    return entries;
  }

  private void apply(Map<String, MemoryDoc> docs, String device, Collection<Entry> entries) throws CrdtException {
    for (Entry e : entries) {
      docs.computeIfAbsent(e.memory(), id -> devices.empty(device)).applyChanges(e.changes());
    }
  }

  private static Digest digest(Map<String, MemoryDoc> docs) throws MalformedException {
    List<MemoryState> states = new ArrayList<>();
    for (MemoryDoc d : docs.values()) {
      d.materialize().ifPresent(states::add);
    }
    return Digest.of(states);
  }

  private static <T> List<T> shuffled(Collection<T> in, Random rnd) {
    List<T> out = new ArrayList<>(in);
    Collections.shuffle(out, rnd);
    return out;
  }

  @Test
  void snapshotPlusTail_givesTheDigestOfAFullReplay() throws Exception {
    for (long seed = 1; seed <= 6; seed++) {
      Random rnd = new Random(seed);
      List<Entry> entries = history(rnd, 70);
      // The snapshotting device holds each author's log up to a random cut.
      Map<String, Long> cut = new HashMap<>();
      for (String a : AUTHORS) {
        long n = entries.stream().filter(e -> e.author().equals(a)).count();
        cut.put(a, (long) rnd.nextInt((int) n + 1));
      }
      List<Entry> covered = entries.stream().filter(e -> e.seq() <= cut.get(e.author())).toList();
      List<Entry> tail = entries.stream().filter(e -> e.seq() > cut.get(e.author())).toList();
      Map<String, MemoryDoc> atSnapshotter = new TreeMap<>();
      apply(atSnapshotter, "snapshotter", shuffled(covered, rnd));
      ClassSnapshot snapshot = ClassSnapshot.decode(ClassSnapshot.of(VersionVector.of(cut), atSnapshotter).encode());
      TreeSet<String> forgotten = new TreeSet<>();
      for (Map.Entry<String, MemoryDoc> e : atSnapshotter.entrySet()) {
        if (e.getValue().isForgotten()) {
          forgotten.add(e.getKey());
        }
      }
      assertEquals(forgotten, snapshot.forgotten(), "seed " + seed);
      TreeSet<String> saved = new TreeSet<>(atSnapshotter.keySet());
      saved.removeAll(forgotten);
      assertEquals(saved, snapshot.documents().keySet(), "seed " + seed);
      assertEquals(VersionVector.of(cut), snapshot.covers());

      Map<String, MemoryDoc> full = new TreeMap<>();
      apply(full, "full", shuffled(entries, rnd));

      Map<String, MemoryDoc> fresh = new TreeMap<>();
      snapshot.applyTo(fresh, Devices.actor("fresh"));
      fresh.values().forEach(devices::track);
      apply(fresh, "fresh", shuffled(tail, rnd));
      assertEquals(digest(full), digest(fresh), "snapshot + tail, seed " + seed);

      // A device that already had some entries merges the snapshot into its documents.
      Map<String, MemoryDoc> partial = new TreeMap<>();
      apply(partial, "partial", shuffled(entries, rnd).subList(0, entries.size() / 3));
      snapshot.applyTo(partial, Devices.actor("partial"));
      partial.values().forEach(devices::track);
      apply(partial, "partial", shuffled(tail, rnd));
      assertEquals(digest(full), digest(partial), "some entries + snapshot + tail, seed " + seed);
      if (!tail.isEmpty() && !covered.isEmpty()) {
        Map<String, MemoryDoc> noTail = new TreeMap<>();
        snapshot.applyTo(noTail, Devices.actor("no-tail"));
        noTail.values().forEach(devices::track);
        Map<String, MemoryDoc> coveredOnly = new TreeMap<>();
        apply(coveredOnly, "covered", covered);
        assertEquals(digest(coveredOnly), digest(noTail), "the snapshot alone is the covered state, seed " + seed);
      }
    }
  }

  /** A vector need not be causally closed: the covered forget's create comes in the tail. */
  @Test
  void aCoveredForgetWhoseCreateIsInTheTail_isKept_andForgetsTheMemoryLater() throws Exception {
    MemoryDoc laptop = devices.empty("laptop");
    Changes create = laptop.create("m-1", Devices.sample());
    Changes forget = devices.with("phone", create).forget().orElseThrow();
    MemoryDoc snapshotter = devices.with("snapshotter", forget);
    ClassSnapshot s = ClassSnapshot.of(VersionVector.of(Map.of("phone", 1L)), Map.of("m-1", snapshotter));
    assertEquals(Set.of("m-1"), s.documents().keySet(), "the held forget is kept");
    Map<String, MemoryDoc> fresh = new TreeMap<>();
    assertEquals(Set.of("m-1"), s.applyTo(fresh, Devices.actor("fresh")).added());
    fresh.values().forEach(devices::track);
    fresh.get("m-1").applyChanges(create);
    assertTrue(fresh.get("m-1").isForgotten());
  }

  @Test
  void aMemoryTheSnapshotForgot_isDroppedFromADeviceThatStillHasIt() throws Exception {
    MemoryDoc laptop = devices.empty("laptop");
    Changes create = laptop.create("m-1", Devices.sample());
    ClassSnapshot s = ClassSnapshot.of(VersionVector.of(Map.of("laptop", 2L)), Map.of("m-1", devices.with("x", create, laptop.forget().orElseThrow())));
    assertEquals(Set.of("m-1"), s.forgotten());
    Map<String, MemoryDoc> stale = new TreeMap<>(Map.of("m-1", devices.with("stale", create)));
    ClassSnapshot.Applied applied = s.applyTo(stale, Devices.actor("stale"));
    assertEquals(Set.of("m-1"), applied.dropped());
    assertTrue(stale.isEmpty());
  }

  @Test
  void encoding_roundTrips_andIsCanonical() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    a.create("m-2", Devices.sample());
    MemoryDoc b = devices.empty("laptop");
    b.create("m-1", Devices.sample());
    MemoryDoc gone = devices.empty("laptop");
    gone.create("m-3", Devices.sample());
    gone.forget();
    VersionVector vv = VersionVector.of(Map.of("laptop", 3L));
    ClassSnapshot s = ClassSnapshot.of(vv, Map.of("m-2", a, "m-3", gone, "m-1", b));
    assertEquals(List.of("m-1", "m-2"), List.copyOf(s.documents().keySet()));
    assertEquals(Set.of("m-3"), s.forgotten(), "a forgotten memory leaves only its id");
    byte[] encoded = s.encode();
    ClassSnapshot back = ClassSnapshot.decode(encoded);
    assertEquals(s, back);
    assertArrayEquals(encoded, back.encode());
    assertArrayEquals(encoded, ClassSnapshot.of(vv, new TreeMap<>(Map.of("m-3", gone, "m-1", b, "m-2", a))).encode(), "order of the map does not matter");
    assertThrows(IllegalArgumentException.class, () -> ClassSnapshot.of(vv, Map.of("m-9", a)), "a document under another id");
    Map<String, MemoryDoc> restored = back.restore(Devices.actor("new"));
    restored.values().forEach(devices::track);
    assertEquals(a.materialize(), restored.get("m-2").materialize());
  }

  /** The layout drawn in the class comment, written out for a snapshot without memories. */
  @Test
  void emptySnapshot_hasTheDocumentedBytes() throws Exception {
    VersionVector vv = VersionVector.of(Map.of("laptop", 3L, "phone", 1L));
    byte[] v = vv.encode();
    ByteBuffer expected = ByteBuffer.allocate(1 + 4 + v.length + 4 + 4 + 4);
    expected.put((byte) 1).putInt(v.length).put(v).putInt(0).putInt(0);
    CRC32C crc = new CRC32C();
    crc.update(expected.array(), 0, expected.position());
    expected.putInt((int) crc.getValue());
    assertArrayEquals(expected.array(), ClassSnapshot.of(vv, Map.of()).encode());
    assertEquals(vv, ClassSnapshot.decode(expected.array()).covers());
  }

  @Test
  void aDocumentFiledUnderAnotherId_isRefusedWhenRestored() throws Exception {
    MemoryDoc d = devices.empty("laptop");
    d.create("m-1", Devices.sample());
    byte[] bytes = ClassSnapshot.of(VersionVector.empty(), Map.of("m-1", d)).encode();
    byte[] id = "m-1".getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(bytes, id);
    bytes[at + 2] = '9';
    fixCrc(bytes);
    ClassSnapshot lying = ClassSnapshot.decode(bytes);
    MalformedException e = assertThrows(MalformedException.class, () -> lying.restore(Devices.actor("new")));
    assertEquals(MalformedException.Kind.SNAPSHOT, e.kind());
    assertTrue(e.getMessage().contains("m-9"), e.getMessage());
    assertThrows(MalformedException.class, () -> lying.applyTo(new HashMap<>(), Devices.actor("new")));
  }

  @Test
  void corruptedSnapshots_areMalformed_neverACrash() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    a.create("m-1", Devices.sample());
    MemoryDoc b = devices.empty("phone");
    b.create("m-2", Devices.sample());
    MemoryDoc c = devices.empty("phone");
    c.create("m-3", Devices.sample());
    c.forget();
    byte[] good = ClassSnapshot.of(VersionVector.of(Map.of("laptop", 1L, "phone", 2L)), Map.of("m-1", a, "m-2", b, "m-3", c)).encode();
    Random rnd = new Random(7);
    int decoded = 0;
    for (int i = 0; i < 400; i++) {
      byte[] bad;
      if (i % 3 == 0) {
        bad = java.util.Arrays.copyOf(good, rnd.nextInt(good.length));
      } else {
        bad = good.clone();
        for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
          bad[rnd.nextInt(bad.length - 4)] = (byte) rnd.nextInt(256);
        }
        if (i % 3 == 2) {
          fixCrc(bad); // get past the checksum to the checks behind it
        }
      }
      try {
        ClassSnapshot s = ClassSnapshot.decode(bad);
        decoded++;
        try {
          s.restore(Devices.actor("fuzz")).values().forEach(MemoryDoc::close);
        } catch (MalformedException e) {
          assertEquals(MalformedException.Kind.SNAPSHOT, e.kind());
        }
      } catch (MalformedException e) {
        assertEquals(MalformedException.Kind.SNAPSHOT, e.kind());
        assertFalse(e.getMessage().contains("\n"));
      }
    }
    assertTrue(decoded < 400);
    byte[] huge = good.clone();
    ByteBuffer.wrap(huge).putInt(1, Integer.MAX_VALUE);
    fixCrc(huge);
    assertThrows(MalformedException.class, () -> ClassSnapshot.decode(huge));
    byte[] version2 = good.clone();
    version2[0] = 2;
    assertNotEquals(0, assertThrows(MalformedException.class, () -> ClassSnapshot.decode(version2)).getMessage().length());
  }

  private static void fixCrc(byte[] b) {
    CRC32C crc = new CRC32C();
    crc.update(b, 0, b.length - 4);
    ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
