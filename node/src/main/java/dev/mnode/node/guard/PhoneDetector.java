package dev.mnode.node.guard;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Phone numbers, found by libphonenumber's matcher at {@link PhoneNumberUtil.Leniency#VALID} (a
 * number valid for its region by the metadata; the matcher already skips dates, times and
 * publication page ranges). Numbers in international form ({@code +...}) are found whatever the
 * regions; national numbers only for the given regions.
 *
 * <p>A valid national number can also be an order or invoice number. So a match must look like a
 * phone number as people write one: in international form, with a parenthesised area code, or
 * grouped by spaces, hyphens or dots; a bare run of digits counts only right after a word such as
 * "call", "phone" or "mobile".
 */
final class PhoneDetector implements Detector {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final Pattern CUE = Pattern.compile(
      "(?i)(?:call|phone|tel|telephone|mobile|cell|whatsapp|signal|sms|text|fax|ring|landline"
          + "|hotline|handy|telefon)\\W{0,4}(?:\\w+\\W{1,3}){0,2}$");
  /**
   * Seven digits, possibly grouped: nothing shorter can be a phone number. (A fixed count: an
   * open-ended repetition of a group recurses once per repetition in java.util.regex and
   * overflows the stack on a long run of digits.)
   */
  private static final Pattern DIGITS = Pattern.compile("\\d(?:[\\s().\\-/]{0,3}\\d){6}");
  /** How far before a bare number a cue word may stand. */
  private static final int CUE_WINDOW = 30;
  /** A bound on the matcher's work per text and region. */
  private static final long MAX_TRIES = 1000;

  private final List<String> regions;

  /** @param regions ISO 3166 region codes for numbers written without a country code */
  PhoneDetector(List<String> regions) {
    for (String r : regions) {
      if (!UTIL.getSupportedRegions().contains(r)) {
        throw new IllegalArgumentException("unknown phone region: " + r);
      }
    }
    this.regions = List.copyOf(regions);
  }

  @Override
  public void find(String text, List<Span> out) {
    // The matcher costs about 50 us per region on a short text; most texts hold no candidate.
    if (!DIGITS.matcher(text).find()) {
      return;
    }
    for (int r = 0; r < regions.size(); r++) {
      for (PhoneNumberMatch m :
          UTIL.findNumbers(text, regions.get(r), PhoneNumberUtil.Leniency.VALID, MAX_TRIES)) {
        // International numbers are found in every region's pass; keep the first pass's.
        if (r > 0 && m.rawString().startsWith("+")) {
          continue;
        }
        if (partOfIdentifier(text, m.start(), m.end())) {
          continue;
        }
        if (writtenAsPhone(m.rawString()) || cued(text, m.start())) {
          out.add(new Span(RedactionType.PHONE, m.start(), m.end()));
        }
      }
    }
  }

  private static boolean writtenAsPhone(String raw) {
    if (raw.startsWith("+") || raw.startsWith("(")) {
      return true;
    }
    if (raw.indexOf(' ') >= 0 || raw.indexOf('-') >= 0) {
      // A phone number does not end in a one-digit group; an ISBN such as 0-306-40615-2 does.
      String[] groups = raw.split("[ \\-]+");
      return groups[groups.length - 1].length() >= 2;
    }
    // Dots alone: 415.555.0132 is a phone number; 04521.377 is a decimal and 122.0.6261 part of
    // a version.
    String[] groups = raw.split("\\.");
    return groups.length >= 3 && Arrays.stream(groups).allMatch(g -> g.length() >= 2);
  }

  /**
   * True when the digits continue an identifier: SN-2024-000871-B, build-2024.03.15, a longer
   * dotted version. Phone numbers stand apart from their neighbours.
   */
  private static boolean partOfIdentifier(String text, int start, int end) {
    if (start >= 2 && "-_./".indexOf(text.charAt(start - 1)) >= 0
        && Character.isLetterOrDigit(text.charAt(start - 2))) {
      return true;
    }
    return end + 1 < text.length() && "-_./".indexOf(text.charAt(end)) >= 0
        && Character.isLetterOrDigit(text.charAt(end + 1));
  }

  private static boolean cued(String text, int start) {
    String before = text.substring(Math.max(0, start - CUE_WINDOW), start).toLowerCase(Locale.ROOT);
    return CUE.matcher(before).find();
  }
}
