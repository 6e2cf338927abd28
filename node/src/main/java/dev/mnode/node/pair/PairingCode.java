package dev.mnode.node.pair;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A one-time pairing code, {@code N-word-word} like {@code 7-apple-river}: a number from 1 to
 * {@value #MAX_NUMBER} and two words from a fixed list of {@value #WORD_COUNT} short English words
 * ({@code words.txt} beside this class: distinct, lowercase, none a prefix of another). That is
 * 999 x 256 x 256, about 2^26 codes; with {@link PairingOffer#MAX_FAILED_ATTEMPTS} online guesses
 * and none offline, a guesser wins with odds under 1 in 20 million.
 *
 * <p>{@link #parse} is lenient: case, surrounding blanks, and spaces, hyphens, dots or underscores
 * between the parts do not matter, and leading zeros of the number are dropped. The PAKE secret is
 * the normalized text ({@link #text()}), so every accepted spelling of a code agrees.
 *
 * <p>Immutable. The code is a secret while its offer lives: {@link #toString()} hides it.
 */
public final class PairingCode {
  /** The largest number in a code. */
  public static final int MAX_NUMBER = 999;
  /** How many words the list has. */
  public static final int WORD_COUNT = 256;
  /** The longest text {@link #parse} looks at. */
  public static final int MAX_TEXT_CHARS = 64;

  private static final List<String> WORDS = loadWords();
  private static final Set<String> WORD_SET = Set.copyOf(WORDS);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String text;

  private PairingCode(int number, String first, String second) {
    this.text = number + "-" + first + "-" + second;
  }

  /** Returns a fresh random code from a {@link SecureRandom}. */
  public static PairingCode generate() {
    return generate(RANDOM);
  }

  /** Returns a random code drawn from {@code random}, which must be cryptographically strong. */
  public static PairingCode generate(SecureRandom random) {
    int number = 1 + random.nextInt(MAX_NUMBER);
    return new PairingCode(
        number, WORDS.get(random.nextInt(WORD_COUNT)), WORDS.get(random.nextInt(WORD_COUNT)));
  }

  /**
   * Reads a code as a person may type it: {@code "7-apple-river"}, {@code " 7 Apple River "},
   * {@code "007.apple_river"}.
   *
   * @throws PairingException MALFORMED_CODE saying which part is wrong
   */
  public static PairingCode parse(String typed) throws PairingException {
    String t = typed.strip().toLowerCase(Locale.ROOT);
    if (t.length() > MAX_TEXT_CHARS) {
      throw malformed("a pairing code is at most " + MAX_TEXT_CHARS + " characters");
    }
    String[] parts = t.split("[\\s\\-_.]+", -1);
    if (parts.length != 3 || parts[0].isEmpty()) {
      throw malformed("a pairing code is a number and two words, like 7-apple-river");
    }
    if (!parts[0].matches("[0-9]{1,6}")) {
      throw malformed("a pairing code starts with a number from 1 to " + MAX_NUMBER);
    }
    int number = Integer.parseInt(parts[0]);
    if (number < 1 || number > MAX_NUMBER) {
      throw malformed("a pairing code starts with a number from 1 to " + MAX_NUMBER);
    }
    for (int i = 1; i <= 2; i++) {
      if (!WORD_SET.contains(parts[i])) {
        throw malformed("'" + parts[i] + "' is not a word of pairing codes; check the spelling");
      }
    }
    return new PairingCode(number, parts[1], parts[2]);
  }

  /** Returns the normalized code, {@code N-word-word}, to show to the user. */
  public String text() {
    return text;
  }

  /** Returns the PAKE secret: the normalized code as a fresh array the caller wipes. */
  char[] secret() {
    return text.toCharArray();
  }

  /** Returns the word list, in its file order. */
  public static List<String> words() {
    return WORDS;
  }

  @Override
  public String toString() {
    return "PairingCode[redacted]";
  }

  private static PairingException malformed(String message) {
    return new PairingException(PairingException.Reason.MALFORMED_CODE, message);
  }

  private static List<String> loadWords() {
    try (InputStream in = PairingCode.class.getResourceAsStream("words.txt")) {
      if (in == null) {
        throw new IllegalStateException("words.txt is missing beside PairingCode");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      List<String> words = new ArrayList<>();
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank()) {
          words.add(line.strip());
        }
      }
      checkWords(words);
      return List.copyOf(words);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read words.txt: " + e.getMessage(), e);
    }
  }

  /** Checks the list: the right size, lowercase a-z, distinct, no word a prefix of another. */
  static void checkWords(List<String> words) {
    if (words.size() != WORD_COUNT) {
      throw new IllegalStateException("the word list has " + words.size() + " words, not " + WORD_COUNT);
    }
    Set<String> seen = new HashSet<>();
    for (String w : words) {
      if (!w.matches("[a-z]{3,8}") || !seen.add(w)) {
        throw new IllegalStateException("bad or repeated pairing word: " + w);
      }
    }
    for (String a : words) {
      for (String b : words) {
        if (!a.equals(b) && b.startsWith(a)) {
          throw new IllegalStateException("pairing word " + a + " is a prefix of " + b);
        }
      }
    }
  }
}
