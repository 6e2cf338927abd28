package dev.mnode.bench.wordnet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides a synset's own words in a sentence: every form of every synonym (the word, its regular
 * inflections and WordNet's irregular ones) becomes {@value #MASK}, case-insensitively and only as
 * a whole word. A multi-word synonym ({@code give up}) matches with any run of spaces or hyphens
 * between its words, with its first or its last word inflected ({@code gave up}, {@code hot dogs}).
 *
 * <p>The mask keeps the sentence's shape, as a cloze question does ("she ___ with emotion"), so
 * the embedding model reads a sentence and not a word list; it matches no word of any memory.
 * Over-generated forms are harmless: a form that is not in the sentence masks nothing. Stateless.
 */
public final class Masker {
  /** What every hidden word becomes. */
  public static final String MASK = "___";

  private final Function<String, Set<String>> irregular;

  /** A masker that looks up irregular forms ({@code go}: {@code went}) with {@code irregular}. */
  public Masker(Function<String, Set<String>> irregular) {
    this.irregular = irregular;
  }

  /** Returns {@code sentence} with every form of {@code words} masked, or empty if none occurs. */
  public Optional<String> mask(String sentence, List<String> words) {
    Set<String> forms = new LinkedHashSet<>();
    for (String w : words) {
      forms.addAll(forms(w));
    }
    List<String> sorted = new ArrayList<>(forms);
    sorted.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
    List<String> alternatives = new ArrayList<>(sorted.size());
    for (String f : sorted) {
      List<String> parts = new ArrayList<>();
      for (String token : f.split("[\\s-]+")) {
        if (!token.isEmpty()) {
          parts.add(Pattern.quote(token));
        }
      }
      if (!parts.isEmpty()) {
        alternatives.add(String.join("[\\s-]+", parts));
      }
    }
    Pattern p =
        Pattern.compile(
            "(?<![\\p{Alnum}])(?:" + String.join("|", alternatives) + ")(?![\\p{Alnum}])",
            Pattern.CASE_INSENSITIVE);
    Matcher m = p.matcher(sentence);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(m.replaceAll(MASK));
  }

  /** The word and its inflections; for several words, with the first or last one inflected. */
  Set<String> forms(String word) {
    String w = word.toLowerCase(Locale.ROOT).strip();
    Set<String> out = new LinkedHashSet<>();
    out.add(w);
    out.addAll(irregular.apply(w));
    String[] tokens = w.split(" ");
    if (tokens.length == 1) {
      out.addAll(inflections(w));
      return out;
    }
    String first = tokens[0];
    String rest = w.substring(first.length());
    String last = tokens[tokens.length - 1];
    String init = w.substring(0, w.length() - last.length());
    for (String f : inflections(first)) {
      out.add(f + rest);
    }
    for (String f : irregular.apply(first)) {
      out.add(f + rest);
    }
    for (String f : inflections(last)) {
      out.add(init + f);
    }
    for (String f : irregular.apply(last)) {
      out.add(init + f);
    }
    return out;
  }

  /** Regular English inflections of one word, generously: plural, third person, past, -ing, comparatives. */
  static Set<String> inflections(String w) {
    Set<String> out = new LinkedHashSet<>();
    if (w.length() < 2 || !w.chars().allMatch(Character::isLetter)) {
      return out;
    }
    for (String s : List.of("s", "es", "ed", "ing", "er", "est")) {
      out.add(w + s);
    }
    char last = w.charAt(w.length() - 1);
    String stem = w.substring(0, w.length() - 1);
    if (last == 'e') {
      out.addAll(List.of(w + "d", stem + "ing", w + "r", w + "st"));
      if (w.endsWith("ie")) {
        out.add(w.substring(0, w.length() - 2) + "ying");
      }
    }
    if (last == 'y' && !isVowel(w.charAt(w.length() - 2))) {
      out.addAll(List.of(stem + "ies", stem + "ied", stem + "ier", stem + "iest"));
    }
    if (w.length() >= 3
        && !isVowel(last)
        && "wxy".indexOf(last) < 0
        && isVowel(w.charAt(w.length() - 2))
        && !isVowel(w.charAt(w.length() - 3))) {
      for (String s : List.of("ed", "ing", "er", "est")) {
        out.add(w + last + s);
      }
    }
    return out;
  }

  private static boolean isVowel(char c) {
    return "aeiou".indexOf(c) >= 0;
  }
}
