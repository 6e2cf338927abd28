package dev.mnode.node.guard;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.validator.routines.CreditCardValidator;
import org.apache.commons.validator.routines.CreditCardValidator.CreditCardRange;

/**
 * Payment card numbers: 13 to 19 digits, bare or grouped by one kind of separator (space or
 * hyphen), that commons-validator accepts for a major issuer (Visa, Mastercard, American Express,
 * Discover, Diners Club, JCB, UnionPay): issuer prefix and length, and the Luhn check digit.
 */
final class CardDetector implements Detector {
  private static final Pattern CANDIDATE =
      Pattern.compile("(?<![\\d.,/-])\\d(?:[ -]?\\d){12,18}(?![\\d]|[.,/-]\\d)");
  /**
   * Issuer prefixes and lengths (from the networks' published BIN ranges); commons-validator adds
   * the Luhn check. Its built-in set has no JCB or UnionPay, hence our own ranges.
   */
  private static final CreditCardValidator VALIDATOR = new CreditCardValidator(new CreditCardRange[] {
    new CreditCardRange("34", null, 15, 15), // American Express
    new CreditCardRange("37", null, 15, 15),
    new CreditCardRange("4", null, new int[] {13, 16, 19}), // Visa
    new CreditCardRange("51", "55", 16, 16), // Mastercard
    new CreditCardRange("2221", "2720", 16, 16),
    new CreditCardRange("6011", null, 16, 19), // Discover
    new CreditCardRange("644", "649", 16, 19),
    new CreditCardRange("65", null, 16, 19),
    new CreditCardRange("300", "305", 14, 19), // Diners Club
    new CreditCardRange("36", null, 14, 19),
    new CreditCardRange("38", "39", 14, 19),
    new CreditCardRange("3528", "3589", 16, 19), // JCB
    new CreditCardRange("62", null, 16, 19), // UnionPay
  });

  @Override
  public void find(String text, List<Span> out) {
    Matcher m = CANDIDATE.matcher(text);
    while (m.find()) {
      String raw = m.group();
      if (oneSeparator(raw) && VALIDATOR.isValid(raw.replaceAll("[ -]", ""))) {
        out.add(new Span(RedactionType.CREDIT_CARD, m.start(), m.end()));
      }
    }
  }

  /** Numbers are written bare or with one separator in groups of at least three digits. */
  private static boolean oneSeparator(String raw) {
    boolean space = raw.indexOf(' ') >= 0;
    boolean hyphen = raw.indexOf('-') >= 0;
    if (space && hyphen) {
      return false;
    }
    if (!space && !hyphen) {
      return true;
    }
    for (String group : raw.split("[ -]")) {
      if (group.length() < 3) {
        return false;
      }
    }
    return true;
  }
}
