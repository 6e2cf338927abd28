package dev.mnode.bench.wordnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalSetTest {
  @Test
  void full_asksOnlySentencesThatHeldAWord_masked_andLeavesThemOutOfTheirMemory(@TempDir Path dir) throws Exception {
    WordNetTest.write(dir, WordNetTest.NOUN, WordNetTest.VERB, WordNetTest.ADJ, WordNetTest.ADV);
    EvalSet set = EvalSet.full(WordNet.read(dir), 4);
    assertEquals(4, set.memories().size());
    assertEquals(4, set.queries().size(), "dog, choke and both dead-on sentences qualify");
    for (EvalQuery q : set.queries()) {
      assertTrue(q.text().contains(Masker.MASK), q.text());
    }
    List<String> texts = set.memoryTexts();
    assertEquals("a member of the genus Canis", texts.get(0));
    assertEquals("without musical accompaniment", texts.get(3));
    assertThrows(IllegalArgumentException.class, () -> EvalSet.full(WordNet.read(dir), 5));
  }

  @Test
  void memoryTexts_keepTheExamplesThatAreNotAsked(@TempDir Path dir) throws Exception {
    WordNetTest.write(dir, WordNetTest.NOUN, WordNetTest.VERB, WordNetTest.ADJ, WordNetTest.ADV);
    EvalSet all = EvalSet.full(WordNet.read(dir), 4);
    EvalSet one = new EvalSet(all.memories(), List.of(all.queries().get(0)));
    List<String> texts = one.memoryTexts();
    int asked = 0;
    for (int i = 0; i < one.memories().size(); i++) {
      for (String e : one.memories().get(i).examples()) {
        boolean isQuery = e.equals(one.queries().get(0).example());
        assertEquals(!isQuery, texts.get(i).contains("\"" + e + "\""), e);
        asked += isQuery ? 1 : 0;
      }
    }
    assertEquals(1, asked);
  }

  @Test
  void sampleIsTheSameOnEveryRun_andASliceKeepsItsQueriesAnswerable(@TempDir Path dir) throws Exception {
    WordNetTest.write(dir, WordNetTest.NOUN, WordNetTest.VERB, WordNetTest.ADJ, WordNetTest.ADV);
    WordNet wn = WordNet.read(dir);
    assertEquals(EvalSet.full(wn, 3).queries(), EvalSet.full(wn, 3).queries());
    EvalSet slice = EvalSet.full(wn, 4).slice(3, 2);
    assertEquals(3, slice.memories().size());
    assertEquals(2, slice.queries().size());
    assertFalse(slice.memories().isEmpty());
    assertThrows(IllegalArgumentException.class, () -> EvalSet.full(wn, 4).slice(1, 2));
    assertThrows(
        IllegalArgumentException.class,
        () -> new EvalSet(List.of(wn.synsets().get(0)), List.of(new EvalQuery("x ___", "v00002724", "x y"))));
  }
}
