package dev.mnode.node.guard;

import static dev.mnode.node.guard.GuardTestSupport.found;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Card numbers need issuer, length and Luhn; IBANs need country format and mod-97. */
class RedactorFinancialTest {
  @Test
  void testCards_ofEachIssuer_areFound_bareOrGrouped() {
    for (String card : List.of("4111 1111 1111 1111", "4242424242424242", "5555-5555-5555-4444",
        "2223 0031 2200 3222", "3782 822463 10005", "6011111111111117", "30569309025904",
        "3530111333300000", "6200000000000005")) {
      assertEquals(List.of("credit-card:" + card), found("paid with " + card + ", thanks"), card);
    }
  }

  @Test
  void numbersFailingLuhn_areNotCards() {
    assertEquals(List.of(), found("Order #4111111111111112 has not arrived"));
    assertEquals(List.of(), found("reference 4539 1488 0343 6468 on the receipt"));
  }

  @Test
  void luhnValidNumbersOfNoIssuer_orMixedSeparators_areNotCards() {
    // 13 digits passing Luhn, but 1 is no issuer's prefix: a millisecond timestamp.
    assertEquals(List.of(), found("timestamp 1712345678903 in the log"));
    assertEquals(List.of(), found("4111-1111 1111-1111"));
    assertEquals(List.of(), found("ISBN 978-0-13-468599-1 and 9780596520687"));
  }

  @Test
  void ibans_bareAndPrinted_areFound() {
    assertEquals(List.of("iban:DE89370400440532013000"), found("IBAN DE89370400440532013000."));
    assertEquals(List.of("iban:GB82 WEST 1234 5698 7654 32"),
        found("pay to GB82 WEST 1234 5698 7654 32 within 14 days"));
  }

  @Test
  void ibanWithBadCheckDigits_orWrongLength_isNotFound() {
    assertEquals(List.of(), found("DE89370400440532013001"));
    assertEquals(List.of(), found("DE8937040044053201300"));
    assertEquals(List.of(), found("Employee number DE44 in the HR system"));
  }

  @Test
  void ibanFollowedByAnUppercaseWord_endsAtItsLength() {
    assertEquals(List.of("iban:DE89 3704 0044 0532 0130 00"),
        found("DE89 3704 0044 0532 0130 00 EUR"));
  }
}
