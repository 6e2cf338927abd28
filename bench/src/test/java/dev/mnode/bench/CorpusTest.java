package dev.mnode.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CorpusTest {
  @Test
  void sameSeedSameMemories() {
    assertArrayEquals(new Corpus(7).jsonLines(200), new Corpus(7).jsonLines(200));
  }

  @Test
  void textsHave8To40WordsAndEveryClassAppears() {
    Corpus c = new Corpus(Corpus.SEED);
    Set<String> classes = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      SyntheticMemory m = c.next();
      int words = m.text().split(" ").length;
      assertTrue(words >= 8 && words <= 40, words + " words: " + m.text());
      assertTrue(m.text().endsWith("."), m.text());
      assertTrue(m.tags().size() <= 4);
      assertTrue(m.importance() >= 0 && m.importance() <= 1);
      classes.add(m.memoryClass());
    }
    assertEquals(Set.of("personal", "work", "health", "financial", "other"), classes);
  }

  @Test
  void jsonLinesAreOneObjectPerLine() throws Exception {
    String[] lines = new String(new Corpus(1).jsonLines(50), StandardCharsets.UTF_8).split("\n");
    assertEquals(50, lines.length);
    ObjectMapper mapper = new ObjectMapper();
    for (String line : lines) {
      JsonNode o = mapper.readTree(line);
      assertTrue(o.get("text").isTextual());
      assertTrue(o.get("class").isTextual());
      assertTrue(o.get("created").asText().endsWith("Z"));
    }
  }
}
