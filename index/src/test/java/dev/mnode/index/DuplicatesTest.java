package dev.mnode.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DuplicatesTest {
  @Test
  void normalizeFoldsCaseSpacingPunctuationAndUnicodeForm() {
    assertEquals("we chose stripe over adyen", Duplicates.normalize("  We chose   Stripe over Adyen. "));
    assertEquals(Duplicates.normalize("café"), Duplicates.normalize("cafe\u0301"));
    assertEquals("9:30 standup", Duplicates.normalize("9:30 standup!"));
  }

  @Test
  void detailsThatMakeAnotherFactAreKeyTokens_inOrder() {
    assertEquals(List.of("60"), Duplicates.keyTokens("the limit is 60 requests per minute", ""));
    assertEquals(List.of("stripe", "adyen"), Duplicates.keyTokens("We chose Stripe over Adyen", ""));
    assertEquals(List.of("stripe", "adyen"), Duplicates.keyTokens("we chose stripe over adyen", "We chose Stripe over Adyen"));
    assertEquals(List.of("not", "tuesday"), Duplicates.keyTokens("standup isn't on tuesday", ""));
  }

  @Test
  void sameFact_needsHighCosine_overlap_andEqualDetails() {
    assertTrue(Duplicates.sameFact("We chose Stripe over Adyen.", "we chose stripe over adyen", 0.1), "normalised equal");
    assertTrue(Duplicates.sameFact("We chose Stripe over Adyen for payments", "We picked Stripe over Adyen for payments", 0.95));
    assertFalse(Duplicates.sameFact("We chose Stripe over Adyen for payments", "We picked Stripe over Adyen for payments", 0.80), "cosine too low");
    for (String[] pair :
        new String[][] {
          {"the free-tier limit is 60 requests per minute", "the free-tier limit is 100 requests per minute"},
          {"We chose Stripe over Adyen", "We chose Adyen over Stripe"},
          {"The deploy runs on Tuesday", "The deploy runs on Thursday"},
          {"Alice owns the billing service", "Bob owns the billing service"},
          {"I am allergic to penicillin", "I am not allergic to penicillin"},
          {"The meeting moved to 2026-12-01", "The meeting moved to 2026-12-02"},
        }) {
      assertFalse(Duplicates.sameFact(pair[0], pair[1], 0.99), pair[0] + " / " + pair[1]);
      assertFalse(Duplicates.sameFact(pair[1], pair[0], 0.99), pair[1] + " / " + pair[0]);
    }
  }
}
