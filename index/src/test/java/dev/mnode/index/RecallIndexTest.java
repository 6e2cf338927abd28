package dev.mnode.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RecallIndexTest {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private static Embedder model;

  @BeforeAll
  static void loadModel() {
    model = IndexModule.defaultEmbedder();
  }

  /** Counts the texts the model embeds, to show unchanged texts keep their vectors. */
  static final class Counting implements Embedder {
    final Embedder inner;
    final AtomicInteger texts = new AtomicInteger();
    final String id;

    Counting(Embedder inner, String id) {
      this.inner = inner;
      this.id = id;
    }

    @Override
    public String modelId() {
      return id;
    }

    @Override
    public int dimensions() {
      return inner.dimensions();
    }

    @Override
    public List<float[]> embed(List<String> t) throws IndexException {
      texts.addAndGet(t.size());
      return inner.embed(t);
    }

    @Override
    public List<float[]> embedQueries(List<String> q) throws IndexException {
      return inner.embedQueries(q);
    }
  }

  static IndexedMemory m(String id, String text, String c, List<String> tags, String source, int daysAgo) {
    return new IndexedMemory(id, text, c, tags, source, NOW.minus(Duration.ofDays(daysAgo)), 0.5, false);
  }

  static List<IndexedMemory> corpus() {
    List<IndexedMemory> l = new ArrayList<>();
    l.add(m("pay", "We chose Stripe over Adyen for card payments because of its API.", "work", List.of("payments"), "claude", 30));
    l.add(m("standup", "Standup moved to 9:30 on Tuesdays.", "work", List.of("team"), "cli", 3));
    l.add(m("allergy", "I am allergic to penicillin.", "health", List.of(), "cli", 200));
    l.add(m("run", "Training for a half marathon in April.", "health", List.of("sport"), "cli", 10));
    l.add(m("db", "The orders service uses Postgres 16 with logical replication.", "work", List.of("infra"), "cursor", 60));
    l.add(m("coffee", "Prefers oat milk flat white, no sugar.", "personal", List.of(), "claude", 5));
    l.add(m("rent", "Rent of 1450 EUR is due on the first of each month.", "financial", List.of(), "cli", 90));
    l.add(m("kid", "Daughter's school starts at 8:15.", "personal", List.of("family"), "cli", 1));
    l.add(m("deploy", "Deploys are frozen during the last week of December.", "work", List.of("infra"), "claude", 15));
    l.add(m("lang", "The backend is written in Kotlin; the CLI is Go.", "work", List.of(), "cursor", 120));
    return l;
  }

  @Test
  void hybridRecall_bringsTheDecisionFirst_andFiltersNeverLeak() throws Exception {
    try (RecallIndex idx = RecallIndex.empty(model, 16)) {
      idx.apply(corpus(), List.of(), RecallIndex.Progress.NONE);
      assertEquals("pay", idx.recall("which payment provider did we pick?", 3, Filter.NONE, NOW).get(0).id());
      assertEquals("allergy", idx.recall("medication I react badly to", 1, Filter.NONE, NOW).get(0).id());

      Filter work = new Filter(Set.of("work"), Set.of(), Optional.empty(), Optional.empty(), Optional.empty());
      List<Fusion.Ranked> r = idx.recall("penicillin allergy", 10, work, NOW);
      assertTrue(r.stream().allMatch(x -> idx.get(x.id()).get().memoryClass().equals("work")), r.toString());
      assertFalse(r.isEmpty(), "vector candidates of the class still come back");

      Filter infra = new Filter(Set.of(), Set.of("infra"), Optional.of("claude"), Optional.empty(), Optional.empty());
      assertEquals(List.of("deploy"), idx.recall("database", 10, infra, NOW).stream().map(Fusion.Ranked::id).toList());

      Filter recent = new Filter(Set.of(), Set.of(), Optional.empty(), Optional.of(NOW.minus(Duration.ofDays(6))), Optional.of(NOW.minus(Duration.ofDays(2))));
      assertEquals(List.of("coffee", "standup"), idx.recall("anything at all", 10, recent, NOW).stream().map(Fusion.Ranked::id).sorted().toList());
    }
  }

  @Test
  void unchangedTextsKeepTheirVectors_andRemovalsLeaveEveryPart() throws Exception {
    Counting counting = new Counting(model, "counting");
    try (RecallIndex idx = RecallIndex.empty(counting, 4)) {
      idx.apply(corpus(), List.of(), RecallIndex.Progress.NONE);
      assertEquals(0, counting.texts.get(), "writes never wait for the model");
      assertEquals(10, idx.pendingVectors());
      idx.embedPending(RecallIndex.Progress.NONE);
      assertEquals(10, counting.texts.get());
      IndexedMemory pay = corpus().get(0);
      idx.apply(List.of(new IndexedMemory(pay.id(), pay.text(), "work", List.of("moved"), "x", pay.created(), 0.9, true)), List.of(), RecallIndex.Progress.NONE);
      assertEquals(10, counting.texts.get(), "same text, no embedding");
      idx.apply(List.of(m("pay", "We moved card payments to Adyen.", "work", List.of(), "", 0)), List.of("allergy"), RecallIndex.Progress.NONE);
      assertEquals(1, idx.pendingVectors());
      assertEquals("pay", idx.recall("Adyen", 1, Filter.NONE, NOW).get(0).id());
      assertEquals(11, counting.texts.get(), "recall embedded the changed text");
      assertEquals(9, idx.size());
      assertTrue(idx.recall("penicillin", 10, Filter.NONE, NOW).stream().noneMatch(x -> x.id().equals("allergy")));
    }
  }

  @Test
  void snapshotRoundTrips_andOtherModelsOrGarbageAreRefused() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> before;
    try (RecallIndex idx = RecallIndex.empty(model, 16)) {
      idx.apply(corpus(), List.of("nothing"), RecallIndex.Progress.NONE);
      idx.setChangeSeq(42);
      before = idx.recall("payments provider", 5, Filter.NONE, NOW).stream().map(Fusion.Ranked::id).toList();
      idx.writeTo(out);
    }
    byte[] snap = out.toByteArray();
    try (RecallIndex back = RecallIndex.readFrom(new ByteArrayInputStream(snap), model)) {
      assertEquals(42, back.changeSeq());
      assertEquals(10, back.size());
      assertEquals(before, back.recall("payments provider", 5, Filter.NONE, NOW).stream().map(Fusion.Ranked::id).toList());
      assertEquals(corpus().get(2), back.get("allergy").orElseThrow());
    }
    try (RecallIndex idx = RecallIndex.empty(model, 16)) {
      idx.apply(corpus(), List.of(), RecallIndex.Progress.NONE);
      ByteArrayOutputStream pendingOut = new ByteArrayOutputStream();
      idx.writeTo(pendingOut);
      try (RecallIndex back = RecallIndex.readFrom(new ByteArrayInputStream(pendingOut.toByteArray()), model)) {
        assertEquals(10, back.pendingVectors(), "vectors not computed yet stay pending across a snapshot");
        assertEquals("pay", back.recall("payment provider", 1, Filter.NONE, NOW).get(0).id());
      }
    }
    assertThrows(RecallIndex.OtherModelException.class, () -> RecallIndex.readFrom(new ByteArrayInputStream(snap), new Counting(model, "another-model")));
    for (int cut : new int[] {0, 3, 40, snap.length / 2, snap.length - 5}) {
      assertThrows(java.io.IOException.class, () -> RecallIndex.readFrom(new ByteArrayInputStream(java.util.Arrays.copyOf(snap, cut)), model), "cut " + cut);
    }
  }

  @Test
  void duplicates_sameFactIsFound_differentFactsBothWays_andOnlyInTheClass() throws Exception {
    try (RecallIndex idx = RecallIndex.empty(model, 16)) {
      idx.apply(corpus(), List.of(), RecallIndex.Progress.NONE);
      idx.apply(List.of(m("limit", "The free-tier limit is 60 requests per minute.", "work", List.of(), "", 2)), List.of(), RecallIndex.Progress.NONE);
      assertEquals("pay", idx.duplicateOf("we chose stripe over adyen for card payments because of its api", "work").orElseThrow().id());
      assertEquals("limit", idx.duplicateOf("The free tier limit is 60 requests per minute", "work").orElseThrow().id());
      assertEquals(Optional.empty(), idx.duplicateOf("The free-tier limit is 100 requests per minute.", "work"));
      assertEquals(Optional.empty(), idx.duplicateOf("We chose Adyen over Stripe for card payments because of its API.", "work"));
      assertEquals(Optional.empty(), idx.duplicateOf("I am not allergic to penicillin.", "health"));
      assertEquals(Optional.empty(), idx.duplicateOf("I am allergic to penicillin.", "work"), "other class");
      assertEquals("allergy", idx.duplicateOf("I am allergic to penicillin.", "health").orElseThrow().id());
    }
    try (RecallIndex idx = RecallIndex.empty(model, 16)) {
      idx.apply(List.of(m("a", "The free-tier limit is 100 requests per minute.", "work", List.of(), "", 1),
          m("b", "I am not allergic to penicillin.", "health", List.of(), "", 1)), List.of(), RecallIndex.Progress.NONE);
      assertEquals(Optional.empty(), idx.duplicateOf("The free-tier limit is 60 requests per minute.", "work"));
      assertEquals(Optional.empty(), idx.duplicateOf("I am allergic to penicillin.", "health"));
    }
  }
}
