package dev.mnode.bench.wordnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lines in the layout of wndb(5WN), taken from WordNet 3.0. */
class WordNetTest {
  static final String LICENSE = "  1 This software and database is being provided to you, the LICENSEE, by  \n";
  static final String NOUN =
      "02084071 05 n 03 dog 0 domestic_dog 0 Canis_familiaris 0 002 @ 02083346 n 0000 ~ 01322604 n 0000"
          + " | a member of the genus Canis; \"the dog barked all night\"  \n";
  static final String VERB =
      "00002724 29 v 01 choke 0 002 @ 00001740 v 0000 + 14058252 n 0101 01 + 02 00 | breathe with great"
          + " difficulty, as when experiencing a strong emotion; \"She choked with emotion when she spoke"
          + " about her deceased husband\"  \n";
  static final String ADJ =
      "00022437 00 s 01 dead-on(a) 0 002 & 00021766 a 0000 ;u 07075172 n 0000 | accurate and to the point;"
          + " \"a dead-on feel for characterization\"; \"She avoids big scenes...preferring to rely on small"
          + " gestures and dead-on dialogue\"- Peter S.Prescott  \n";
  static final String ADV = "00001740 02 r 01 a_cappella 0 000 | without musical accompaniment  \n";

  @Test
  void parse_readsWordsDefinitionAndExamples_ofAVerbWithFrames() throws Exception {
    Synset s = WordNet.parse("v", VERB.strip(), "data.verb:1");
    assertEquals("v00002724", s.id());
    assertEquals(List.of("choke"), s.words());
    assertEquals("breathe with great difficulty, as when experiencing a strong emotion", s.definition());
    assertEquals(List.of("She choked with emotion when she spoke about her deceased husband"), s.examples());
  }

  @Test
  void parse_dropsAdjectiveMarkers_replacesUnderscores_andKeepsEveryExample() throws Exception {
    Synset adj = WordNet.parse("a", ADJ.strip(), "data.adj:1");
    assertEquals(List.of("dead-on"), adj.words());
    assertEquals("accurate and to the point", adj.definition());
    assertEquals(2, adj.examples().size());
    Synset noun = WordNet.parse("n", NOUN.strip(), "data.noun:1");
    assertEquals(List.of("dog", "domestic dog", "canis familiaris"), noun.words());
    assertEquals(List.of(), WordNet.parse("r", ADV.strip(), "data.adv:1").examples());
  }

  @Test
  void parse_badLine_namesWhere() {
    WordNetFormatException x =
        assertThrows(WordNetFormatException.class, () -> WordNet.parse("n", "02084071 05 n zz dog 0 | gloss", "data.noun:42"));
    assertTrue(x.getMessage().startsWith("data.noun:42"), x.getMessage());
    assertThrows(WordNetFormatException.class, () -> WordNet.parse("n", "02084071 05 n 01 dog 0 000", "data.noun:1"));
  }

  @Test
  void read_skipsTheLicense_readsAllFourFilesInOrder_andIrregularForms(@TempDir Path dir) throws Exception {
    write(dir, NOUN, VERB, ADJ, ADV);
    WordNet wn = WordNet.read(dir);
    assertEquals(
        List.of("n02084071", "v00002724", "a00022437", "r00001740"),
        wn.synsets().stream().map(Synset::id).toList());
    assertEquals(Set.of("went", "gone"), wn.irregularForms("go"));
    assertEquals(Set.of(), wn.irregularForms("choke"));
  }

  @Test
  void read_missingDatabase_saysToInstallWordnetBase(@TempDir Path dir) {
    IOException x = assertThrows(IOException.class, () -> WordNet.read(dir.resolve("absent")));
    assertTrue(x.getMessage().contains("apt-get install wordnet-base"), x.getMessage());
  }

  /** Writes a four-file database (each with the license header) and exception lists into {@code dir}. */
  static void write(Path dir, String noun, String verb, String adj, String adv) throws IOException {
    Files.writeString(dir.resolve("data.noun"), LICENSE + noun, StandardCharsets.ISO_8859_1);
    Files.writeString(dir.resolve("data.verb"), LICENSE + verb, StandardCharsets.ISO_8859_1);
    Files.writeString(dir.resolve("data.adj"), LICENSE + adj, StandardCharsets.ISO_8859_1);
    Files.writeString(dir.resolve("data.adv"), LICENSE + adv, StandardCharsets.ISO_8859_1);
    Files.writeString(dir.resolve("verb.exc"), "gone go\nwent go\n", StandardCharsets.ISO_8859_1);
    Files.writeString(dir.resolve("noun.exc"), "aardwolves aardwolf\n", StandardCharsets.ISO_8859_1);
    Files.writeString(dir.resolve("adj.exc"), "", StandardCharsets.ISO_8859_1);
    Files.writeString(dir.resolve("adv.exc"), "", StandardCharsets.ISO_8859_1);
  }
}
