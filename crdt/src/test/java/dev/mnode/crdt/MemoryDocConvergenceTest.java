package dev.mnode.crdt;

import static dev.mnode.crdt.Devices.ID;
import static dev.mnode.crdt.Devices.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Devices that edit one memory concurrently end with the same memory, whatever the delivery. */
class MemoryDocConvergenceTest {
  private final Devices devices = new Devices();

  @AfterEach
  void closeDocs() {
    devices.close();
  }

  /** Delivers every change to every document. */
  private static void exchange(List<MemoryDoc> docs, Changes... changes) throws CrdtException {
    for (MemoryDoc d : docs) {
      for (Changes c : changes) {
        d.applyChanges(Devices.wire(c));
      }
    }
  }

  private static MemoryState state(MemoryDoc d) throws MalformedException {
    return d.materialize().orElseThrow();
  }

  @Test
  void concurrentEditsOfDifferentFields_onThreeDevices_mergeFieldByField() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    Changes created = a.create(ID, Devices.sample());
    MemoryDoc b = devices.with("phone", created);
    MemoryDoc c = devices.with("desktop", created);

    Changes fromA = a.update(MemoryEdit.at(t(1)).text("We chose Stripe; Adyen was too slow").build()).orElseThrow();
    Changes fromB = b.update(MemoryEdit.at(t(2)).importance(0.95).pinned(true).build()).orElseThrow();
    Changes fromC =
        c.update(MemoryEdit.at(t(3)).source("cursor").putMetadata("owner", "ana").memoryClass("personal").build())
            .orElseThrow();
    exchange(List.of(a, b, c), fromA, fromB, fromC);

    for (MemoryDoc d : List.of(a, b, c)) {
      MemoryState s = state(d);
      assertEquals("We chose Stripe; Adyen was too slow", s.text());
      assertEquals(0.95, s.importance());
      assertTrue(s.pinned());
      assertEquals("cursor", s.source());
      assertEquals("personal", s.memoryClass());
      assertEquals(Map.of("decided", "2026-11", "owner", "ana"), s.metadata());
      assertEquals(List.of("decisions", "payments"), s.tags());
      assertEquals(a.heads(), d.heads());
    }
    assertEquals(state(a), state(b));
    assertEquals(state(a), state(c));
  }

  @Test
  void concurrentTagAdditions_onTwoDevices_bothSurvive() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    Changes created = a.create(ID, Devices.sample());
    MemoryDoc b = devices.with("phone", created);

    Changes fromA = a.update(MemoryEdit.at(t(1)).addTag("stripe").build()).orElseThrow();
    Changes fromB = b.update(MemoryEdit.at(t(1)).addTag("🔥 urgent").addTag("adyen").build()).orElseThrow();
    exchange(List.of(a, b), fromA, fromB);

    List<String> expected = List.of("adyen", "decisions", "payments", "stripe", "🔥 urgent");
    assertEquals(expected, state(a).tags());
    assertEquals(expected, state(b).tags());
  }

  @Test
  void concurrentAddOfOneTag_andRemovalOfAnother_bothTakeEffect() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    Changes created = a.create(ID, Devices.sample());
    MemoryDoc b = devices.with("phone", created);

    Changes fromA = a.update(MemoryEdit.at(t(1)).addTag("stripe").build()).orElseThrow();
    Changes fromB = b.update(MemoryEdit.at(t(1)).removeTag("decisions").build()).orElseThrow();
    exchange(List.of(a, b), fromA, fromB);

    assertEquals(List.of("payments", "stripe"), state(a).tags());
    assertEquals(state(a), state(b));
  }

  @Test
  void tagRemoval_removesOnlyTheAdditionsTheRemovingDeviceSaw() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    Changes created = a.create(ID, Devices.sample());
    MemoryDoc b = devices.with("phone", created);
    MemoryDoc c = devices.with("desktop", created);

    Changes addedByA = a.update(MemoryEdit.at(t(1)).addTag("stripe").build()).orElseThrow();
    b.applyChanges(addedByA);
    Changes removedByB = b.update(MemoryEdit.at(t(2)).removeTag("stripe").build()).orElseThrow();
    Changes addedByC = c.update(MemoryEdit.at(t(2)).addTag("stripe").build()).orElseThrow(); // unseen by B
    exchange(List.of(a, b, c), addedByA, removedByB, addedByC);

    for (MemoryDoc d : List.of(a, b, c)) {
      assertEquals(List.of("decisions", "payments", "stripe"), state(d).tags());
    }
  }

  @Test
  void concurrentMetadataAndLinkEdits_mergePerKey() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    Changes created = a.create(ID, Devices.sample());
    MemoryDoc b = devices.with("phone", created);

    Changes fromA = a.update(MemoryEdit.at(t(1)).putMetadata("owner", "ana").removeMetadata("decided").addLink("L-2").build()).orElseThrow();
    Changes fromB = b.update(MemoryEdit.at(t(1)).putMetadata("team", "payments").addLink("L-3").build()).orElseThrow();
    exchange(List.of(a, b), fromA, fromB);

    assertEquals(Map.of("owner", "ana", "team", "payments"), state(a).metadata());
    assertEquals(List.of("01a218df-0000-7000-8000-000000000001", "L-2", "L-3"), state(a).links());
    assertEquals(state(a), state(b));
  }

  @Test
  void concurrentWritesOfOneScalar_resolveToTheSameWinnerEverywhere() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    Changes created = a.create(ID, Devices.sample());
    MemoryDoc b = devices.with("phone", created);

    Changes fromA = a.update(MemoryEdit.at(t(1)).text("text from the laptop").build()).orElseThrow();
    Changes fromB = b.update(MemoryEdit.at(t(1)).text("text from the phone").build()).orElseThrow();
    a.applyChanges(fromB);
    b.applyChanges(fromA);

    String winner = state(a).text();
    assertTrue(Set.of("text from the laptop", "text from the phone").contains(winner));
    assertEquals(winner, state(b).text());
    MemoryDoc late = devices.with("desktop", created, fromB, fromA);
    assertEquals(winner, state(late).text());
  }

  @Test
  void concurrentUpdateAndForget_areForgottenOnBothDevices_inEitherOrder() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    Changes created = a.create(ID, Devices.sample());
    MemoryDoc b = devices.with("phone", created);

    Changes forget = a.forget().orElseThrow();
    Changes update = b.update(MemoryEdit.at(t(1)).text("edited while being forgotten").pinned(true).build()).orElseThrow();
    a.applyChanges(update);
    b.applyChanges(forget);

    for (MemoryDoc d :
        List.of(a, b, devices.with("x", created, update, forget), devices.with("y", created, forget, update))) {
      assertTrue(d.isForgotten());
      assertEquals(Optional.empty(), d.materialize());
    }
  }

  /**
   * Five changes from three devices (two depending on each other, three concurrent) delivered in
   * each of the 120 orders, each order followed by all changes again in reverse: every document
   * ends with the same heads, the same materialized memory and the same digest, and its save loads
   * to that state. The save bytes themselves are not all equal (12 distinct among the 120 orders
   * with automerge-java 0.0.7, which stores changes in the order it applied them; see {@link
   * AutomergeBehaviourTest#saveBytesDependOnTheOrderConcurrentChangesWereApplied}).
   */
  @Test
  void everyDeliveryOrder_withDuplicates_givesTheSameHeadsStateAndDigest() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    Changes created = a.create(ID, Devices.sample());
    MemoryDoc b = devices.with("phone", created);
    MemoryDoc c = devices.with("desktop", created);
    Changes a1 = a.update(MemoryEdit.at(t(1)).text("first edit").addTag("stripe").build()).orElseThrow();
    Changes a2 = a.update(MemoryEdit.at(t(2)).removeTag("decisions").putMetadata("k", "v").build()).orElseThrow();
    Changes b1 = b.update(MemoryEdit.at(t(3)).text("phone edit").importance(0.1).addTag("stripe").build()).orElseThrow();
    Changes c1 = c.update(MemoryEdit.at(t(4)).removeTag("payments").addLink("L-9").build()).orElseThrow();
    List<Changes> all = List.of(created, a1, a2, b1, c1);

    MemoryDoc reference = devices.with("reference", all.toArray(new Changes[0]));
    MemoryState expected = state(reference);
    Digest expectedDigest = Digest.of(List.of(expected));
    int orders = 0;
    for (List<Changes> order : permutations(all)) {
      try (MemoryDoc d = CrdtModule.newMemoryDoc(Devices.actor("receiver"))) {
        for (Changes ch : order) {
          d.applyChanges(Devices.wire(ch));
        }
        List<Changes> again = new ArrayList<>(order);
        java.util.Collections.reverse(again);
        for (Changes ch : again) {
          assertEquals(new ApplyResult(0, 1, 0), d.applyChanges(Devices.wire(ch)));
        }
        assertEquals(0, d.heldCount());
        assertEquals(reference.heads(), d.heads());
        assertEquals(expected, state(d));
        assertEquals(expectedDigest, Digest.of(List.of(state(d))));
        ByteString saved = d.save();
        try (MemoryDoc loaded = CrdtModule.loadMemoryDoc(saved, Devices.actor("receiver"))) {
          assertEquals(expected, state(loaded));
          assertEquals(reference.heads(), loaded.heads());
        }
      }
      orders++;
    }
    assertEquals(120, orders);
  }

  @Test
  void allChangesInOneBatch_inReverseOrder_areHeldAndApplied() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    List<Changes> history = new ArrayList<>();
    history.add(a.create(ID, Devices.sample()));
    for (int i = 1; i <= 20; i++) {
      history.add(a.update(MemoryEdit.at(t(i)).text("edit " + i).build()).orElseThrow());
    }
    List<ChangeChunk> reversed = new ArrayList<>();
    for (int i = history.size() - 1; i >= 0; i--) {
      reversed.addAll(history.get(i).chunks());
    }
    MemoryDoc b = devices.empty("phone");
    ApplyResult r = b.applyChanges(Changes.parse(Changes.of(reversed).toByteArray()));
    assertEquals(new ApplyResult(21, 0, 0), r);
    assertEquals(state(a), state(b));
  }

  static <T> List<List<T>> permutations(List<T> items) {
    if (items.isEmpty()) {
      return List.of(List.of());
    }
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      List<T> rest = new ArrayList<>(items);
      T first = rest.remove(i);
      for (List<T> p : permutations(rest)) {
        List<T> l = new ArrayList<>();
        l.add(first);
        l.addAll(p);
        out.add(l);
      }
    }
    return out;
  }
}
