package dev.mnode.node.guard;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.validator.routines.IBANValidator;

/**
 * IBANs, bare or in the printed form with spaces: the country code fixes the length, and
 * commons-validator checks the country's format and the ISO 7064 mod-97 check digits.
 */
final class IbanDetector implements Detector {
  private static final Pattern START = Pattern.compile("(?<![A-Za-z0-9])[A-Z]{2}\\d{2}");
  private static final IBANValidator VALIDATOR = IBANValidator.getInstance();

  @Override
  public void find(String text, List<Span> out) {
    Matcher m = START.matcher(text);
    while (m.find()) {
      IBANValidator.Validator country = VALIDATOR.getValidator(m.group().substring(0, 2) + "00");
      if (country == null) {
        continue;
      }
      int end = readIban(text, m.start(), country.getIbanLength());
      if (end < 0) {
        continue;
      }
      StringBuilder compact = new StringBuilder();
      for (int i = m.start(); i < end; i++) {
        if (text.charAt(i) != ' ') {
          compact.append(text.charAt(i));
        }
      }
      if (VALIDATOR.isValid(compact.toString())) {
        out.add(new Span(RedactionType.IBAN, m.start(), end));
      }
    }
  }

  /**
   * Reads {@code length} letters and digits from {@code start}, allowing single spaces between
   * them; returns the end index, or -1 when they are not there or the IBAN runs on.
   */
  private static int readIban(String text, int start, int length) {
    int i = start;
    int n = 0;
    while (n < length && i < text.length()) {
      char c = text.charAt(i);
      if (c == ' ' && n > 0 && i + 1 < text.length() && text.charAt(i + 1) != ' ') {
        i++;
        continue;
      }
      if (!(Character.isDigit(c) || (c >= 'A' && c <= 'Z'))) {
        return -1;
      }
      n++;
      i++;
    }
    if (n < length || (i < text.length() && Character.isLetterOrDigit(text.charAt(i)))) {
      return -1;
    }
    return i;
  }
}
