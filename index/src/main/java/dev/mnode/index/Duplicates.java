package dev.mnode.index;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When two texts state the same fact. Equal after normalisation (case, Unicode form, spacing,
 * punctuation) is the same fact. Otherwise they must be very close in meaning (cosine), share
 * most of their words, and agree on every detail that turns one fact into another: the numbers,
 * dates and times, names and negations they contain, in the same order. "the limit is 60 requests
 * per minute" and "... 100 requests per minute" are two facts; so are "we chose Stripe over
 * Adyen" and "we chose Adyen over Stripe". Stateless.
 */
public final class Duplicates {
  /** Cosine similarity at or above which two texts may be the same fact. */
  public static final double MIN_COSINE = 0.92;
  /** Share of distinct words (Jaccard) at or above which two texts may be the same fact. */
  public static final double MIN_OVERLAP = 0.6;

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'’:./!?-]*");
  private static final Set<String> NEGATIONS =
      Set.of("not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "cannot", "without", "nowhere");
  private static final Set<String> CALENDAR =
      Set.of(
          "january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
          "saturday", "sunday", "today", "tomorrow", "yesterday", "am", "pm");

  /** Words often capitalised at the start of a sentence that are not names. */
  private static final Set<String> COMMON =
      Set.of(
          "a", "an", "the", "this", "that", "these", "those", "it", "its", "i", "we", "you", "he", "she",
          "they", "my", "our", "your", "his", "her", "their", "me", "us", "them", "there", "here", "and",
          "or", "but", "if", "when", "then", "so", "for", "to", "in", "on", "at", "of", "by", "with",
          "from", "as", "is", "are", "was", "were", "be", "do", "does", "did", "have", "has", "had",
          "please", "remember", "note", "always", "use", "prefer", "prefers", "what", "which", "who",
          "how", "why", "where", "after", "before", "every", "each", "all", "some", "any", "one");

  private Duplicates() {}

  /** Case-folded, NFKC, punctuation-free, single-spaced. */
  public static String normalize(String text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(s.length());
    for (String w : words(s)) {
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append(trimPunctuation(w));
    }
    return out.toString();
  }

  /**
   * Whether {@code a} and {@code b}, whose embeddings have cosine similarity {@code cosine}, state
   * the same fact.
   */
  public static boolean sameFact(String a, String b, double cosine) {
    return normalize(a).equals(normalize(b)) || (closeInWords(a, b) && cosine >= MIN_COSINE);
  }

  /**
   * The tests of {@link #sameFact} that need no embedding: enough shared words, and the same
   * details in the same order. A pair that fails them is two facts whatever its cosine.
   */
  public static boolean closeInWords(String a, String b) {
    return overlap(a, b) >= MIN_OVERLAP && keyTokens(a, b).equals(keyTokens(b, a));
  }

  /** Jaccard similarity of the two texts' sets of normalised words. */
  static double overlap(String a, String b) {
    Set<String> x = new HashSet<>(List.of(normalize(a).split(" ")));
    Set<String> y = new HashSet<>(List.of(normalize(b).split(" ")));
    Set<String> union = new HashSet<>(x);
    union.addAll(y);
    x.retainAll(y);
    return union.isEmpty() ? 1 : (double) x.size() / union.size();
  }

  /**
   * The tokens of {@code text} that carry its details, in order: numbers and anything with a
   * digit, calendar words, negations, and words that either text capitalises, common words
   * aside (names).
   */
  static List<String> keyTokens(String text, String other) {
    Set<String> names = new HashSet<>(names(text));
    names.addAll(names(other));
    List<String> out = new ArrayList<>();
    for (String w : words(Normalizer.normalize(text, Normalizer.Form.NFKC))) {
      String lower = trimPunctuation(w.toLowerCase(Locale.ROOT));
      boolean digit = lower.chars().anyMatch(Character::isDigit);
      if (digit || CALENDAR.contains(lower) || NEGATIONS.contains(lower) || lower.endsWith("n't") || lower.endsWith("n’t")
          || names.contains(lower)) {
        out.add(lower.endsWith("n't") || lower.endsWith("n’t") ? "not" : lower);
      }
    }
    return out;
  }

  private static Set<String> names(String text) {
    Set<String> out = new HashSet<>();
    for (String w : words(Normalizer.normalize(text, Normalizer.Form.NFKC))) {
      String bare = trimPunctuation(w);
      String lower = bare.toLowerCase(Locale.ROOT);
      if (!bare.isEmpty() && Character.isUpperCase(bare.codePointAt(0)) && !COMMON.contains(lower)) {
        out.add(lower);
      }
    }
    return out;
  }

  private static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(s);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private static String trimPunctuation(String w) {
    int end = w.length();
    while (end > 0 && ".:/-'’!?".indexOf(w.charAt(end - 1)) >= 0) {
      end--;
    }
    return w.substring(0, end);
  }
}
