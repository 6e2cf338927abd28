package dev.mnode.node.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PairingCodeTest {
  @Test
  void wordList_has256DistinctWords_noneAPrefixOfAnother() {
    List<String> words = PairingCode.words();
    assertEquals(PairingCode.WORD_COUNT, words.size());
    assertEquals(words.size(), new HashSet<>(words).size());
    PairingCode.checkWords(words); // the same check the class runs on load
    List<String> withPrefix = new ArrayList<>(words);
    withPrefix.set(0, "app");
    withPrefix.set(1, "apple");
    assertThrows(IllegalStateException.class, () -> PairingCode.checkWords(withPrefix));
  }

  @Test
  void generate_thenParse_givesTheSameCode() throws Exception {
    SecureRandom random = new SecureRandom();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      PairingCode c = PairingCode.generate(random);
      assertTrue(c.text().matches("[1-9][0-9]{0,2}-[a-z]+-[a-z]+"), c.text());
      assertEquals(c.text(), PairingCode.parse(c.text()).text());
      seen.add(c.text());
    }
    assertTrue(seen.size() > 190, "200 codes from 2^26 should hardly repeat: " + seen.size());
  }

  @Test
  void parse_isLenientAboutCaseSpacesAndSeparators() throws Exception {
    for (String typed : List.of("7-apple-river", " 7 Apple RIVER ", "007.apple_river", "7 - apple - river",
        "7\tapple-river")) {
      assertEquals("7-apple-river", PairingCode.parse(typed).text(), typed);
    }
  }

  @Test
  void parse_badInput_saysWhatIsWrong() {
    for (String typed : List.of("", "apple-river", "7-apple", "7-apple-river-x", "0-apple-river",
        "1000-apple-river", "x7-apple-river", "7-apple-rivers", "7-appl-river", "-7-apple-river")) {
      PairingException e = assertThrows(PairingException.class, () -> PairingCode.parse(typed), typed);
      assertEquals(PairingException.Reason.MALFORMED_CODE, e.reason());
      assertTrue(e.getMessage().length() < 120 && !e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void toString_hidesTheCode() throws Exception {
    PairingCode c = PairingCode.parse("7-apple-river");
    assertNotEquals(-1, c.toString().indexOf("redacted"));
    assertEquals(-1, c.toString().indexOf("apple"));
  }
}
