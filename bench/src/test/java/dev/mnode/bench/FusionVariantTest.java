package dev.mnode.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mnode.index.Fusion;
import dev.mnode.index.Hit;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FusionVariantTest {
  private static final List<Hit> VECTOR = List.of(new Hit("a", 0.9), new Hit("b", 0.8), new Hit("c", 0.7));
  private static final List<Hit> TEXT = List.of(new Hit("c", 9), new Hit("d", 8), new Hit("b", 7));

  @Test
  void relativeScoreAt08_ranksAsFusionDoesWithNeutralFacts() {
    Instant now = Instant.parse("2026-11-26T00:00:00Z");
    List<String> fusion =
        Fusion.rank(VECTOR, TEXT, id -> Optional.of(new Fusion.Facts(0.5, now, false)), now, 10).stream()
            .map(Fusion.Ranked::id)
            .toList();
    assertEquals(fusion, new FusionVariant.RelativeScore(Fusion.VECTOR_WEIGHT).rank(VECTOR, TEXT));
  }

  @Test
  void weightsFavourTheirList_andTiesGoById() {
    List<Hit> vector = List.of(new Hit("v", 0.9));
    List<Hit> text = List.of(new Hit("t", 9));
    assertEquals(List.of("t", "v"), new FusionVariant(60, 1, 1).rank(vector, text));
    assertEquals(List.of("v", "t"), new FusionVariant(60, 2, 1).rank(vector, text));
    assertEquals(List.of("t", "v"), new FusionVariant(60, 1, 2).rank(vector, text));
    assertEquals("RRF K=60, vectors x3", new FusionVariant(60, 3, 1).name());
    assertEquals("RRF K=10", new FusionVariant(10, 1, 1).name());
  }

  @Test
  void relativeScore_scalesEachListToItsOwnRange_andWeighsThem() {
    // vectors: a 1.0, b 0.5, c 0.0 after scaling; words: c 1.0, d 0.5, b 0.0
    FusionVariant.RelativeScore half = new FusionVariant.RelativeScore(0.5);
    assertEquals(List.of("a", "c", "b", "d"), half.rank(VECTOR, TEXT));
    FusionVariant.RelativeScore vectors = new FusionVariant.RelativeScore(0.9);
    assertEquals(List.of("a", "b", "c", "d"), vectors.rank(VECTOR, TEXT));
    assertEquals(List.of("a"), vectors.rank(List.of(new Hit("a", 0.3)), List.of()));
    assertEquals("relative score, vectors 0.9", vectors.name());
  }
}
