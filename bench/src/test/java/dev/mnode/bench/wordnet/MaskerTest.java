package dev.mnode.bench.wordnet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MaskerTest {
  private final Masker masker =
      new Masker(w -> Map.of("give", Set.of("gave", "given"), "fall", Set.of("fell", "fallen")).getOrDefault(w, Set.of()));

  @Test
  void masksRegularInflections_caseInsensitively() {
    assertEquals(Optional.of("She ___ with emotion"), masker.mask("She choked with emotion", List.of("choke")));
    assertEquals(Optional.of("___ the child"), masker.mask("Cover the child", List.of("cover")));
    assertEquals(Optional.of("the ___ are ___"), masker.mask("the babies are crying", List.of("baby", "cry")));
    assertEquals(Optional.of("he ___ a lot"), masker.mask("he stopped a lot", List.of("stop")));
  }

  @Test
  void masksIrregularForms_andMultiWordSynonymsWithTheirFirstWordInflected() {
    assertEquals(Optional.of("It ___ to me"), masker.mask("It fell to me", List.of("fall")));
    assertEquals(Optional.of("they ___ at last"), masker.mask("they gave up at last", List.of("give up")));
    assertEquals(Optional.of("a ___ feel"), masker.mask("a dead on feel", List.of("dead-on")));
  }

  @Test
  void masksWholeWordsOnly_andReportsSentencesWithoutTheWord() {
    assertEquals(Optional.empty(), masker.mask("they discovered it", List.of("cover")));
    assertEquals(Optional.empty(), masker.mask("a quiet night", List.of("dog")));
  }
}
