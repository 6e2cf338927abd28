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
  void aMemoryBothListsAgreeOn_beatsOneListsFirst() {
    List<Hit> vector = List.of(new Hit("a", 0.9), new Hit("b", 0.8));
    List<Hit> text = List.of(new Hit("c", 9), new Hit("b", 8));
    Map<String, Fusion.Facts> facts =
        Map.of(
            "a", new Fusion.Facts(0.5, NOW, false),
            "b", new Fusion.Facts(0.5, NOW, false),
            "c", new Fusion.Facts(0.5, NOW, false));
    List<Fusion.Ranked> r = Fusion.rank(vector, text, id -> Optional.ofNullable(facts.get(id)), NOW, 10);
    assertEquals(List.of("b", "a", "c"), r.stream().map(Fusion.Ranked::id).toList());
    assertEquals(2, r.get(0).vectorRank());
    assertEquals(2, r.get(0).textRank());
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
}
