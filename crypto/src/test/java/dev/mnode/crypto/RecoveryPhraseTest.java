package dev.mnode.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RecoveryPhraseTest {
  /** Known answers of BIP-39's test vectors for 256-bit entropy (the words, not the seeds). */
  private static final String[][] VECTORS = {
    {"0000000000000000000000000000000000000000000000000000000000000000",
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
          + "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art"},
    {"7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f",
      "legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful "
          + "legal winner thank year wave sausage worth title"},
    {"8080808080808080808080808080808080808080808080808080808080808080",
      "letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor "
          + "acoustic avoid letter advice cage absurd amount doctor acoustic bless"},
    {"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
      "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote"},
    {"68a79eaca2324873eacc50cb9c6eca8cc68ea5d936f98787c60c7ebc74e6ce7c",
      "hamster diagram private dutch cause delay private meat slide toddler razor book happy fancy gospel "
          + "tennis maple dilemma loan word shrug inflict delay length"},
  };

  @Test
  void encodesBip39Vectors() throws Exception {
    for (String[] v : VECTORS) {
      try (RecoveryPhrase p = RecoveryPhrase.of(SecretBytes.copyOf(HexFormat.of().parseHex(v[0])))) {
        assertEquals(v[1], p.words());
      }
      try (RecoveryPhrase p = RecoveryPhrase.parse(v[1]); SecretBytes e = p.entropy()) {
        assertArrayEquals(HexFormat.of().parseHex(v[0]), e.copy());
      }
    }
  }

  @Test
  void parse_isForgivingAboutCaseAndSpaces() throws Exception {
    try (RecoveryPhrase p = RecoveryPhrase.generate()) {
      String messy = "  " + p.words().toUpperCase().replace(" ", " \t\n ") + "\n";
      try (RecoveryPhrase q = RecoveryPhrase.parse(messy)) {
        assertEquals(p.words(), q.words());
        assertEquals(RecoveryPhrase.WORDS, q.words().split(" ").length);
      }
    }
  }

  @Test
  void parse_wrongCountUnknownWordOrChecksum_isRejectedWithoutEchoingWords() throws Exception {
    String good = VECTORS[4][1];
    String[] w = good.split(" ");
    CryptoException count = assertThrows(CryptoException.class, () -> RecoveryPhrase.parse(String.join(" ", Arrays.copyOf(w, 23))));
    assertTrue(count.getMessage().contains("23"), count.getMessage());
    String[] unknown = w.clone();
    unknown[5] = "notaword";
    CryptoException bad = assertThrows(CryptoException.class, () -> RecoveryPhrase.parse(String.join(" ", unknown)));
    assertTrue(bad.getMessage().contains("word 6"), bad.getMessage());
    assertTrue(!bad.getMessage().contains("notaword"));
    String[] swapped = w.clone();
    swapped[0] = w[1];
    swapped[1] = w[0];
    CryptoException sum = assertThrows(CryptoException.class, () -> RecoveryPhrase.parse(String.join(" ", swapped)));
    assertTrue(sum.getMessage().contains("checksum"), sum.getMessage());
    assertThrows(CryptoException.class, () -> RecoveryPhrase.parse(""));
  }

  @Test
  void generate_makesDifferentPhrases() {
    try (RecoveryPhrase a = RecoveryPhrase.generate(); RecoveryPhrase b = RecoveryPhrase.generate()) {
      assertTrue(!a.words().equals(b.words()));
    }
  }
}
