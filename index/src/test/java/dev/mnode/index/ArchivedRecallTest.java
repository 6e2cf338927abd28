package dev.mnode.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Archived memories are left out of recall unless the filter lets them in, in both lists and snapshots. */
class ArchivedRecallTest {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private static Embedder model;

  @BeforeAll
  static void loadModel() {
    model = IndexModule.defaultEmbedder();
  }

  private static List<IndexedMemory> corpusWithPaymentsArchived() {
    List<IndexedMemory> l = new ArrayList<>();
    for (IndexedMemory m : RecallIndexTest.corpus()) {
      boolean archive = m.id().equals("pay");
      l.add(new IndexedMemory(
          m.id(), m.text(), m.memoryClass(), m.tags(), m.source(), m.created(), m.importance(), m.pinned(), archive));
    }
    return l;
  }

  private static List<String> ids(List<Fusion.Ranked> r) {
    return r.stream().map(Fusion.Ranked::id).toList();
  }

  @Test
  void archivedMemory_isLeftOutByDefault_andFoundWhenAsked_inWordsVectorsAndFilters() throws Exception {
    Filter byDefault = new Filter(Set.of(), Set.of(), Optional.empty(), Optional.empty(), Optional.empty());
    Filter workOnly = new Filter(Set.of("work"), Set.of(), Optional.empty(), Optional.empty(), Optional.empty());
    Filter workWithArchived = new Filter(Set.of("work"), Set.of(), Optional.empty(), Optional.empty(), Optional.empty(), true);
    try (RecallIndex idx = RecallIndex.empty(model, 16)) {
      idx.apply(corpusWithPaymentsArchived(), List.of(), RecallIndex.Progress.NONE);
      assertFalse(ids(idx.recall("Stripe Adyen payments", 10, byDefault, NOW)).contains("pay"));
      assertFalse(ids(idx.recall("Stripe Adyen payments", 10, workOnly, NOW)).contains("pay"));
      assertEquals("pay", idx.recall("Stripe Adyen payments", 1, Filter.NONE, NOW).get(0).id());
      assertEquals("pay", idx.recall("Stripe Adyen payments", 1, workWithArchived, NOW).get(0).id());
      assertTrue(idx.duplicateOf("We chose Stripe over Adyen for card payments because of its API.", "work").isPresent(),
          "an archived memory still counts as the same fact");
      // Unarchiving puts it back.
      idx.apply(RecallIndexTest.corpus().subList(0, 1), List.of(), RecallIndex.Progress.NONE);
      assertEquals("pay", idx.recall("Stripe Adyen payments", 1, byDefault, NOW).get(0).id());
    }
  }

  @Test
  void snapshot_keepsTheArchivedFlag_andVersion1SnapshotsReadAsNotArchived() throws Exception {
    ByteArrayOutputStream v2 = new ByteArrayOutputStream();
    ByteArrayOutputStream v1 = new ByteArrayOutputStream();
    try (RecallIndex idx = RecallIndex.empty(model, 16)) {
      idx.apply(corpusWithPaymentsArchived(), List.of(), RecallIndex.Progress.NONE);
      idx.writeTo(v2);
      idx.writeTo(v1, 1);
    }
    try (RecallIndex back = RecallIndex.readFrom(new ByteArrayInputStream(v2.toByteArray()), model)) {
      assertTrue(back.get("pay").orElseThrow().archived());
      assertFalse(ids(back.recall("Stripe Adyen payments", 10, Filter.NONE.withoutArchived(), NOW)).contains("pay"));
    }
    try (RecallIndex back = RecallIndex.readFrom(new ByteArrayInputStream(v1.toByteArray()), model)) {
      assertEquals(10, back.size());
      assertFalse(back.get("pay").orElseThrow().archived());
      assertEquals("pay", back.recall("Stripe Adyen payments", 1, Filter.NONE.withoutArchived(), NOW).get(0).id());
    }
  }
}
