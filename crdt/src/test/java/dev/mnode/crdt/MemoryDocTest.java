package dev.mnode.crdt;

import static dev.mnode.crdt.Devices.ID;
import static dev.mnode.crdt.Devices.T0;
import static dev.mnode.crdt.Devices.t;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemoryDocTest {
  private final Devices devices = new Devices();

  @AfterEach
  void closeDocs() {
    devices.close();
  }

  @Test
  void create_thenMaterialize_returnsEveryField_includingKeysAutomergeCannotTakeRaw() throws Exception {
    MemoryDoc d = devices.empty("laptop");
    MemoryFields f =
        MemoryFields.builder("Ünïcode text 😀 with\nnewlines and \0 a NUL", T0)
            .memoryClass("health")
            .tags(List.of("🔥", "100%", "plain", "ß"))
            .importance(0.0)
            .source("mnode cli")
            .updated(t(5))
            .pinned(true)
            .metadata(Map.of("emoji 🐙", "octopus", "a\0b", "nul key", "%41", "not an escape", "empty", ""))
            .links(List.of("L-1", "L-2"))
            .build();
    d.create(ID, f);

    MemoryState s = d.materialize().orElseThrow();
    assertEquals(
        new MemoryState(ID, f.text(), "health", f.tags(), 0.0, "mnode cli", T0, t(5), true, f.metadata(), f.links()),
        s);
    assertEquals(List.of("100%", "plain", "ß", "🔥"), s.tags());
    assertFalse(d.isForgotten());
  }

  @Test
  void actorOfADevice_isTheSameEveryTime_andEveryChangeIsWrittenByIt() throws Exception {
    byte[] deviceKey = "ed25519 public key of the laptop".getBytes(StandardCharsets.UTF_8);
    ActorId actor = ActorId.ofDevice(deviceKey);
    assertEquals(actor, ActorId.ofDevice(deviceKey.clone()));
    assertEquals(ActorId.BYTES, actor.bytes().length());
    assertNotEquals(actor, ActorId.ofDevice("another device".getBytes(StandardCharsets.UTF_8)));

    try (MemoryDoc d = CrdtModule.newMemoryDoc(actor)) {
      assertEquals(actor, d.actor());
      Changes created = d.create(ID, Devices.sample());
      assertEquals(Set.of(actor), created.actors());
      assertEquals(Set.of(actor), d.update(MemoryEdit.at(t(1)).pinned(true).build()).orElseThrow().actors());
      // A document that received its first change from elsewhere still writes as its own actor.
      MemoryDoc phone = devices.with("phone", created);
      assertEquals(Set.of(Devices.actor("phone")), phone.update(MemoryEdit.at(t(1)).pinned(true).build()).orElseThrow().actors());
      assertEquals(Set.of(actor), d.forget().orElseThrow().actors());
    }
  }

  @Test
  void actorOfDevice_isFirst16BytesOfDomainSeparatedSha256() throws Exception {
    byte[] device = {1, 2, 3};
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update("mnode/crdt/actor/v1".getBytes(StandardCharsets.US_ASCII));
    sha.update((byte) 0);
    byte[] expected = Arrays.copyOf(sha.digest(device), 16);
    assertArrayEquals(expected, ActorId.ofDevice(device).bytes().toByteArray());
    assertThrows(IllegalArgumentException.class, () -> ActorId.ofDevice(new byte[0]));
  }

  @Test
  void create_onADocumentThatHasChanges_isRefused() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    Changes created = a.create(ID, Devices.sample());
    assertThrows(IllegalStateException.class, () -> a.create(ID, Devices.sample()));
    MemoryDoc b = devices.with("phone", created);
    assertThrows(IllegalStateException.class, () -> b.create("other", Devices.sample()));
  }

  @Test
  void create_withALinkToItself_isRefused() {
    MemoryDoc a = devices.empty("laptop");
    MemoryFields f = MemoryFields.builder("x", T0).links(List.of(ID)).build();
    assertThrows(IllegalArgumentException.class, () -> a.create(ID, f));
    assertThrows(IllegalArgumentException.class, () -> a.create("has space", Devices.sample()));
  }

  @Test
  void update_writesOnlyTheFieldsThatChanged() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    Changes created = a.create(ID, Devices.sample());
    MemoryDoc b = devices.with("phone", created);
    MemoryState before = a.materialize().orElseThrow();

    // B edits the text; A sends an edit that restates the old text and changes only importance.
    Changes fromB = b.update(MemoryEdit.at(t(1)).text("text edited on the phone").build()).orElseThrow();
    Changes fromA =
        a.update(MemoryEdit.at(t(2)).text(before.text()).importance(0.3).tags(before.tags()).build()).orElseThrow();
    a.applyChanges(fromB);
    b.applyChanges(fromA);

    MemoryState s = a.materialize().orElseThrow();
    assertEquals("text edited on the phone", s.text());
    assertEquals(0.3, s.importance());
    assertEquals(s, b.materialize().orElseThrow());
  }

  @Test
  void update_thatChangesNothing_writesNothing() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    a.create(ID, Devices.sample());
    List<ChangeHash> heads = a.heads();
    MemoryState s = a.materialize().orElseThrow();
    MemoryEdit same =
        MemoryEdit.at(t(9))
            .text(s.text())
            .memoryClass(s.memoryClass())
            .importance(s.importance())
            .source(s.source())
            .pinned(s.pinned())
            .tags(s.tags())
            .putMetadata(s.metadata())
            .removeMetadata("absent")
            .addLink(s.links().get(0))
            .removeLink("absent")
            .build();
    assertEquals(Optional.empty(), a.update(same));
    assertEquals(Optional.empty(), a.update(MemoryEdit.at(t(9)).build()));
    assertEquals(heads, a.heads());
    assertEquals(T0, a.materialize().orElseThrow().updated());
  }

  @Test
  void update_stampsUpdated_butNeverBeforeCreated() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    a.create(ID, Devices.sample());
    a.update(MemoryEdit.at(t(7)).pinned(true).build());
    assertEquals(t(7), a.materialize().orElseThrow().updated());
    a.update(MemoryEdit.at(T0.minusSeconds(3600)).pinned(false).build()); // a clock running late
    assertEquals(T0, a.materialize().orElseThrow().updated());
  }

  @Test
  void update_replacingTheTags_addsAndRemovesOnlyTheDifference() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    Changes created = a.create(ID, Devices.sample()); // decisions, payments
    MemoryDoc b = devices.with("phone", created);
    Changes fromB = b.update(MemoryEdit.at(t(1)).addTag("from-phone").build()).orElseThrow();
    Changes fromA = a.update(MemoryEdit.at(t(1)).tags(List.of("payments", "stripe")).build()).orElseThrow();
    a.applyChanges(fromB);
    b.applyChanges(fromA);
    assertEquals(List.of("from-phone", "payments", "stripe"), a.materialize().orElseThrow().tags());
    assertEquals(a.materialize(), b.materialize());
  }

  @Test
  void update_beyondACountLimit_orLinkingToItself_isRefused() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    a.create(ID, Devices.sample());
    List<String> many = new ArrayList<>();
    for (int i = 0; i < MemoryFields.MAX_TAGS + 1; i++) {
      many.add("t" + i);
    }
    assertThrows(IllegalArgumentException.class, () -> a.update(MemoryEdit.at(t(1)).tags(many).build()));
    assertThrows(IllegalArgumentException.class, () -> a.update(MemoryEdit.at(t(1)).addLink(ID).build()));
    TreeMap<String, String> meta = new TreeMap<>();
    for (int i = 0; i < MemoryFields.MAX_METADATA_ENTRIES; i++) {
      meta.put("k" + i, "v");
    }
    assertThrows(IllegalArgumentException.class, () -> a.update(MemoryEdit.at(t(1)).putMetadata(meta).build()));
    assertEquals(Devices.sample().tags(), a.materialize().orElseThrow().tags());
  }

  @Test
  void forget_isFinal_writesOnce_andRefusesLaterUpdates() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    Changes created = a.create(ID, Devices.sample());
    Changes forget = a.forget().orElseThrow();
    assertEquals(Optional.empty(), a.forget());
    assertEquals(Optional.empty(), a.materialize());
    assertThrows(IllegalStateException.class, () -> a.update(MemoryEdit.at(t(1)).pinned(true).build()));

    MemoryDoc b = devices.with("phone", forget);
    assertEquals(1, b.heldCount());
    assertEquals(Optional.empty(), b.materialize());
    b.applyChanges(created);
    assertTrue(b.isForgotten());
  }

  @Test
  void emptyDocument_materializesAsEmpty_andCannotBeUpdatedOrForgotten() throws Exception {
    MemoryDoc d = devices.empty("laptop");
    assertEquals(Optional.empty(), d.materialize());
    assertEquals(List.of(), d.heads());
    assertThrows(IllegalStateException.class, () -> d.update(MemoryEdit.at(t(1)).pinned(true).build()));
    assertThrows(IllegalStateException.class, d::forget);
  }

  @Test
  void applyingTheSameChangesTwice_changesNothing() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    Changes created = a.create(ID, Devices.sample());
    Changes edit = a.update(MemoryEdit.at(t(1)).text("edited").build()).orElseThrow();

    MemoryDoc b = devices.empty("phone");
    assertEquals(new ApplyResult(1, 0, 0), b.applyChanges(created));
    assertEquals(new ApplyResult(1, 0, 0), b.applyChanges(edit));
    ByteString saved = b.save();
    List<ChangeHash> heads = b.heads();
    assertEquals(new ApplyResult(0, 1, 0), b.applyChanges(created));
    assertEquals(new ApplyResult(0, 1, 0), b.applyChanges(edit));
    Changes both = Changes.of(concat(created, edit, created));
    assertEquals(new ApplyResult(0, 3, 0), b.applyChanges(Changes.parse(both.toByteArray())));
    assertEquals(saved, b.save());
    assertEquals(heads, b.heads());
    // A device's own changes coming back are duplicates too.
    assertEquals(new ApplyResult(0, 2, 0), a.applyChanges(Changes.of(concat(created, edit))));
  }

  @Test
  void changeWithAMissingDependency_isHeld_untilTheDependencyArrives() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    Changes created = a.create(ID, Devices.sample());
    Changes e1 = a.update(MemoryEdit.at(t(1)).text("one").build()).orElseThrow();
    Changes e2 = a.update(MemoryEdit.at(t(2)).text("two").build()).orElseThrow();

    MemoryDoc b = devices.with("phone", created);
    List<ChangeHash> headsBefore = b.heads();
    assertEquals(new ApplyResult(0, 0, 1), b.applyChanges(e2));
    assertEquals(headsBefore, b.heads());
    assertEquals(Set.copyOf(e1.hashes()), b.missingDependencies());
    assertEquals("We chose Stripe over Adyen for payments", b.materialize().orElseThrow().text());
    assertEquals(new ApplyResult(0, 1, 1), b.applyChanges(e2));

    assertEquals(new ApplyResult(2, 0, 0), b.applyChanges(e1));
    assertEquals(0, b.heldCount());
    assertEquals(Set.of(), b.missingDependencies());
    assertEquals("two", b.materialize().orElseThrow().text());
    assertEquals(a.heads(), b.heads());
  }

  @Test
  void heldChanges_surviveSaveAndLoad() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    Changes created = a.create(ID, Devices.sample());
    Changes e1 = a.update(MemoryEdit.at(t(1)).text("one").build()).orElseThrow();
    Changes e2 = a.update(MemoryEdit.at(t(2)).text("two").build()).orElseThrow();

    MemoryDoc b = devices.with("phone", created, e2);
    SortedSet<ChangeHash> missing = b.missingDependencies();
    MemoryDoc loaded = devices.load(b.save(), "phone");
    assertEquals(1, loaded.heldCount());
    assertEquals(missing, loaded.missingDependencies());
    assertEquals(b.save(), loaded.save());
    loaded.applyChanges(e1);
    assertEquals("two", loaded.materialize().orElseThrow().text());
  }

  @Test
  void saveThenLoad_roundTripsStateHeadsAndBytes() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    a.create(ID, Devices.sample());
    a.update(MemoryEdit.at(t(1)).addTag("🔥").putMetadata("k", "v").build());
    ByteString saved = a.save();

    MemoryDoc b = devices.load(saved, "laptop");
    assertEquals(a.materialize(), b.materialize());
    assertEquals(a.heads(), b.heads());
    assertEquals(saved, b.save());
    // The loaded document goes on writing as its own actor, and as the next seq.
    Changes next = b.update(MemoryEdit.at(t(2)).pinned(true).build()).orElseThrow();
    assertEquals(Set.of(Devices.actor("laptop")), next.actors());
    assertEquals(3, next.chunks().get(0).seq()); // after create and one update
    a.applyChanges(next);
    assertEquals(b.materialize(), a.materialize());
  }

  @Test
  void load_asAnotherDevice_writesAsThatDevice() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    a.create(ID, Devices.sample());
    MemoryDoc b = devices.load(a.save(), "phone");
    Changes c = b.update(MemoryEdit.at(t(1)).pinned(true).build()).orElseThrow();
    assertEquals(Set.of(Devices.actor("phone")), c.actors());
    assertEquals(1, c.chunks().get(0).seq());
  }

  @Test
  void everyFlippedByteOfASave_isRejectedByLoad() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    Changes created = a.create(ID, Devices.sample());
    Changes e1 = a.update(MemoryEdit.at(t(1)).text("one").build()).orElseThrow();
    Changes e2 = a.update(MemoryEdit.at(t(2)).text("two").build()).orElseThrow();
    byte[] good = devices.with("phone", created, e2).save().toByteArray(); // with one held change
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x01;
      MalformedException e =
          assertThrows(MalformedException.class, () -> CrdtModule.loadMemoryDoc(ByteString.copyOf(bad), Devices.actor("x")).close(), "byte " + i);
      assertEquals(MalformedException.Kind.DOCUMENT, e.kind());
    }
    assertThrows(MalformedException.class, () -> CrdtModule.loadMemoryDoc(ByteString.copyOf(Arrays.copyOf(good, good.length - 1)), Devices.actor("x")));
    assertThrows(MalformedException.class, () -> CrdtModule.loadMemoryDoc(ByteString.empty(), Devices.actor("x")));
    assertThrows(MalformedException.class, () -> CrdtModule.loadMemoryDoc(e1.bytes(), Devices.actor("x")));
  }

  @Test
  void sameActorAndSeq_withDifferentContent_isEquivocation_andChangesNothing() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    Changes created = a.create(ID, Devices.sample());
    // The laptop restored from a backup taken before its edit: same actor, same seq, other change.
    MemoryDoc restored = devices.with("laptop", created);
    Changes honest = a.update(MemoryEdit.at(t(1)).text("edit").build()).orElseThrow();
    Changes replayed = restored.update(MemoryEdit.at(t(1)).text("different edit").build()).orElseThrow();

    MemoryDoc b = devices.with("phone", created, honest);
    ByteString before = b.save();
    EquivocationException e = assertThrows(EquivocationException.class, () -> b.applyChanges(replayed));
    assertEquals(Devices.actor("laptop").hex(), e.author());
    assertEquals(2, e.seq());
    assertEquals(before, b.save());
    assertEquals("edit", b.materialize().orElseThrow().text());

    MemoryDoc c = devices.with("desktop", created);
    assertThrows(EquivocationException.class, () -> c.applyChanges(Changes.of(concat(honest, replayed))));
    assertEquals(0, c.heldCount());
  }

  @Test
  void moreHeldChangesThanTheLimit_areRefused_andNothingChanges() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    Changes created = a.create(ID, Devices.sample());
    List<ChangeChunk> chain = new ArrayList<>();
    for (int i = 0; i <= MemoryDoc.MAX_HELD_CHANGES + 1; i++) {
      chain.addAll(a.update(MemoryEdit.at(t(i)).text("edit " + i).build()).orElseThrow().chunks());
    }
    MemoryDoc b = devices.with("phone", created);
    List<ChangeChunk> withoutFirst = chain.subList(1, chain.size()); // MAX_HELD_CHANGES + 1 waiting
    assertThrows(PendingLimitException.class, () -> b.applyChanges(Changes.of(withoutFirst)));
    assertEquals(0, b.heldCount());
    assertEquals(
        new ApplyResult(0, 0, MemoryDoc.MAX_HELD_CHANGES),
        b.applyChanges(Changes.of(withoutFirst.subList(0, MemoryDoc.MAX_HELD_CHANGES))));
    assertEquals(
        new ApplyResult(MemoryDoc.MAX_HELD_CHANGES + 2, MemoryDoc.MAX_HELD_CHANGES, 0),
        b.applyChanges(Changes.of(chain)));
    assertEquals(a.materialize(), b.materialize());
  }

  @Test
  void changeAutomergeCannotRead_isRejected_andLeavesTheObjectUnusable() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    Changes created = a.create(ID, Devices.sample());
    byte[] edit = a.update(MemoryEdit.at(t(1)).text("edit").build()).orElseThrow().toByteArray();
    // Cut the last byte of the body and fix up length and checksum: framing valid, content not.
    byte[] body = Arrays.copyOfRange(edit, 10, edit.length - 1);
    assertTrue(edit[9] >= 0 && edit[9] == edit.length - 10, "one-byte length expected");
    byte[] bad = new byte[10 + body.length];
    System.arraycopy(edit, 0, bad, 0, 9);
    bad[9] = (byte) body.length;
    System.arraycopy(body, 0, bad, 10, body.length);
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOfRange(bad, 8, bad.length));
    System.arraycopy(hash, 0, bad, 4, 4);
    Changes parsed = Changes.parse(bad);

    MemoryDoc b = devices.with("phone", created);
    ByteString saved = b.save();
    MalformedException e = assertThrows(MalformedException.class, () -> b.applyChanges(parsed));
    assertEquals(MalformedException.Kind.CHANGE, e.kind());
    assertThrows(IllegalStateException.class, b::materialize);
    MemoryDoc reloaded = devices.load(saved, "phone");
    assertEquals(a.materialize().orElseThrow().id(), reloaded.materialize().orElseThrow().id());
  }

  @Test
  void changesSince_returnsWhatADeviceAtThoseHeadsLacks() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    Changes created = a.create(ID, Devices.sample());
    MemoryDoc b = devices.with("phone", created);
    List<ChangeHash> phoneHeads = b.heads();
    Changes e1 = a.update(MemoryEdit.at(t(1)).text("one").build()).orElseThrow();
    Changes e2 = a.update(MemoryEdit.at(t(2)).addTag("x").build()).orElseThrow();

    Changes lacking = a.changesSince(phoneHeads).orElseThrow();
    assertEquals(List.of(e1.hashes().get(0), e2.hashes().get(0)), lacking.hashes());
    assertEquals(Optional.empty(), a.changesSince(a.heads()));
    assertEquals(3, a.changesSince(List.of()).orElseThrow().count());
    b.applyChanges(Devices.wire(lacking));
    assertEquals(a.materialize(), b.materialize());
  }

  @Test
  void materialize_ofADocumentBreakingTheSchema_isMalformed() throws Exception {
    assertMalformed(tx -> tx.set(ObjectId.ROOT, "schema", 2));
    assertMalformed(tx -> tx.set(ObjectId.ROOT, "importance", "high"));
    assertMalformed(tx -> tx.set(ObjectId.ROOT, "importance", 1.5));
    assertMalformed(tx -> tx.set(ObjectId.ROOT, "created", "yesterday"));
    assertMalformed(tx -> tx.delete(ObjectId.ROOT, "text"));
    assertMalformed(tx -> tx.set(ObjectId.ROOT, "tags", "not a map"));
    assertMalformed(
        tx -> {
          ObjectId tags = tx.set(ObjectId.ROOT, "tags", ObjectType.MAP);
          tx.set(tags, "%41", true); // not a canonical escape
        });
  }

  private void assertMalformed(java.util.function.Consumer<Transaction> corrupt) throws Exception {
    MemoryDoc good = devices.empty("laptop");
    good.create(ID, Devices.sample());
    Document raw = Document.load(good.save().toByteArray());
    try {
      try (Transaction tx = raw.startTransaction()) {
        corrupt.accept(tx);
        tx.commit();
      }
      MemoryDoc d = devices.load(ByteString.copyOf(raw.save()), "phone");
      MalformedException e = assertThrows(MalformedException.class, d::materialize);
      assertEquals(MalformedException.Kind.DOCUMENT, e.kind());
    } finally {
      raw.free();
    }
  }

  @Test
  void closedDocument_refusesEveryCall() throws Exception {
    MemoryDoc d = CrdtModule.newMemoryDoc(Devices.actor("laptop"));
    Changes created = d.create(ID, Devices.sample());
    d.close();
    d.close();
    assertThrows(IllegalStateException.class, d::materialize);
    assertThrows(IllegalStateException.class, d::save);
    assertThrows(IllegalStateException.class, d::heads);
    assertThrows(IllegalStateException.class, () -> d.applyChanges(created));
  }

  static List<ChangeChunk> concat(Changes... changes) {
    List<ChangeChunk> out = new ArrayList<>();
    for (Changes c : changes) {
      out.addAll(c.chunks());
    }
    return out;
  }
}
