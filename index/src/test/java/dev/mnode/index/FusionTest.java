package dev.mnode.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FusionTest {
  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

  @Test
  void aMemoryNearTheTopOfBothLists_beatsOneListsFirst_andScoresAreScaledPerList() {
    // scaled vectors: a 1, b 0.9375, x 0; scaled words: c 1, b 0.9375, y 0
    List<Hit> vector = List.of(new Hit("a", 0.9), new Hit("b", 0.85), new Hit("x", 0.1));
    List<Hit> text = List.of(new Hit("c", 9), new Hit("b", 8.5), new Hit("y", 1));
    Map<String, Fusion.Facts> facts = new java.util.HashMap<>();
    for (String id : List.of("a", "b", "c", "x", "y")) {
      facts.put(id, new Fusion.Facts(0.5, NOW, false));
    }
    List<Fusion.Ranked> r = Fusion.rank(vector, text, id -> Optional.ofNullable(facts.get(id)), NOW, 10);
    assertEquals(List.of("b", "a", "c", "x", "y"), r.stream().map(Fusion.Ranked::id).toList());
    assertEquals(2, r.get(0).vectorRank());
    assertEquals(2, r.get(0).textRank());
    assertEquals(0.9375, r.get(0).vectorScore(), 1e-9);
    assertEquals(0.8 * 0.9375 + 0.2 * 0.9375, r.get(0).fused(), 1e-9);
    assertEquals(0.8, r.get(1).fused(), 1e-9, "a: vectors only");
    assertEquals(0.2, r.get(2).fused(), 1e-9, "c: words only");
  }

  @Test
  void aWeakWordListMovesTheOrderLittle_unlikeRankFusion() {
    // Vectors are confident about v1; words barely separate their candidates.
    List<Hit> vector = List.of(new Hit("v1", 0.9), new Hit("v2", 0.5), new Hit("v3", 0.45));
    List<Hit> text = List.of(new Hit("v3", 2.01), new Hit("w", 2.0), new Hit("v1", 0.1));
    Map<String, Fusion.Facts> facts = new java.util.HashMap<>();
    for (String id : List.of("v1", "v2", "v3", "w")) {
      facts.put(id, new Fusion.Facts(0.5, NOW, false));
    }
    assertEquals("v1", Fusion.rank(vector, text, id -> Optional.ofNullable(facts.get(id)), NOW, 1).get(0).id());
  }

  @Test
  void importanceAndRecency_breakCloseCalls_pinnedFirstOnTies_filteredIdsDropped() {
    List<Hit> vector = List.of(new Hit("old", 0.9), new Hit("new", 0.9));
    List<Hit> text = List.of(new Hit("new", 1), new Hit("old", 1));
    Map<String, Fusion.Facts> facts =
        Map.of(
            "old", new Fusion.Facts(0.5, NOW.minus(Duration.ofDays(365)), false),
            "new", new Fusion.Facts(0.5, NOW, false));
    assertEquals("new", Fusion.rank(vector, text, id -> Optional.ofNullable(facts.get(id)), NOW, 1).get(0).id());
    Map<String, Fusion.Facts> tie =
        Map.of("a", new Fusion.Facts(0.5, NOW, false), "b", new Fusion.Facts(0.5, NOW, true));
    List<Hit> both = List.of(new Hit("a", 1), new Hit("b", 1));
    List<Hit> reversed = List.of(new Hit("b", 1), new Hit("a", 1));
    assertEquals("b", Fusion.rank(both, reversed, id -> Optional.ofNullable(tie.get(id)), NOW, 2).get(0).id());
    assertEquals(List.of("a"), Fusion.rank(both, reversed, id -> id.equals("a") ? Optional.of(tie.get("a")) : Optional.empty(), NOW, 5)
        .stream().map(Fusion.Ranked::id).toList());
  }

  @Test
  void aging_pinnedIgnoresAge_recentRecallRefreshesRecency_andUseAddsAtMostAFifth() {
    List<Hit> vector = List.of(new Hit("old", 0.9), new Hit("new", 0.9));
    List<Hit> text = List.of();
    Instant yearAgo = NOW.minus(Duration.ofDays(365));
    Map<String, Fusion.Facts> facts = Map.of("old", new Fusion.Facts(0.5, yearAgo, false), "new", new Fusion.Facts(0.5, NOW, false));
    Fusion.Aging none = new Fusion.Aging(Duration.ofDays(30), id -> Fusion.Use.NEVER);
    assertEquals("new", Fusion.rank(vector, text, id -> Optional.ofNullable(facts.get(id)), NOW, 1, none).get(0).id());
    // Recalled just now: as recent as the new one, and ahead of it by its use.
    Fusion.Aging used = new Fusion.Aging(
        Duration.ofDays(30), id -> id.equals("old") ? new Fusion.Use(8, NOW) : Fusion.Use.NEVER);
    Fusion.Ranked top = Fusion.rank(vector, text, id -> Optional.ofNullable(facts.get(id)), NOW, 1, used).get(0);
    assertEquals("old", top.id());
    assertEquals(1.0, top.recency(), 1e-9);
    assertEquals(8, top.uses());
    assertEquals(1 + 0.1 + 0.05 * Math.log1p(8) / Math.log1p(32), top.score() / top.fused(), 1e-9);
    // Pinned: recency 1 whatever the age.
    Map<String, Fusion.Facts> pinned = Map.of("old", new Fusion.Facts(0.5, yearAgo, true));
    assertEquals(1.0, Fusion.rank(vector, text, id -> Optional.ofNullable(pinned.get(id)), NOW, 1, none).get(0).recency(), 1e-9);
    // Half-life: 30 days old with a 30-day half-life is 0.5.
    Map<String, Fusion.Facts> month = Map.of("old", new Fusion.Facts(0.5, NOW.minus(Duration.ofDays(30)), false));
    assertEquals(0.5, Fusion.rank(vector, text, id -> Optional.ofNullable(month.get(id)), NOW, 1, none).get(0).recency(), 1e-9);
    // Use saturates: a thousand recalls weigh no more than 32.
    Fusion.Aging heavy = new Fusion.Aging(Duration.ofDays(30), id -> new Fusion.Use(1000, Instant.EPOCH));
    Fusion.Ranked h = Fusion.rank(vector, text, id -> Optional.ofNullable(month.get(id)), NOW, 1, heavy).get(0);
    assertEquals(1 + 0.1 * 0.5 + 0.05, h.score() / h.fused(), 1e-9);
  }
}
