package dev.mnode.bench.wordnet;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the WordNet 3.0 database files ({@code wndb(5WN)}) of Debian's {@code wordnet-base}
 * package. A line of {@code data.noun}, {@code data.verb}, {@code data.adj} or {@code data.adv}:
 *
 * <pre>
 * synset_offset lex_filenum ss_type w_cnt word lex_id [word lex_id...] p_cnt [ptr...] [frames...] | gloss
 *   00002724     29          v       01    choke 0                       002  @ 00001740 v 0000 ...
 *                                    hex          hex                   dec
 * gloss: definition; "example one"; "example two"
 * </pre>
 *
 * Lines that start with two spaces are the license header. {@code *.exc} files list irregular
 * forms, one {@code inflected base [base...]} per line. Immutable once read.
 */
public final class WordNet {
  /** Where Debian's {@code wordnet-base} installs the database. */
  public static final Path DEBIAN_DIR = Path.of("/usr/share/wordnet");

  /** The four data files, with the letter that starts their synsets' ids. */
  private static final Map<String, String> DATA_FILES =
      Map.of("data.noun", "n", "data.verb", "v", "data.adj", "a", "data.adv", "r");
  private static final List<String> ORDER = List.of("data.noun", "data.verb", "data.adj", "data.adv");
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
  private static final Pattern MARKER = Pattern.compile("\\((a|p|ip)\\)$");

  private final List<Synset> synsets;
  private final Map<String, Set<String>> irregular;

  private WordNet(List<Synset> synsets, Map<String, Set<String>> irregular) {
    this.synsets = List.copyOf(synsets);
    this.irregular = irregular;
  }

  /**
   * Reads every synset and exception list under {@code dir}.
   *
   * @throws IOException if a file is missing or unreadable (the message says to install {@code
   *     wordnet-base} when the directory is missing)
   * @throws WordNetFormatException naming the file and line that does not parse
   */
  public static WordNet read(Path dir) throws IOException, WordNetFormatException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(
          "no WordNet database at " + dir + ": install it with `apt-get install wordnet-base`");
    }
    List<Synset> synsets = new ArrayList<>(120_000);
    for (String file : ORDER) {
      try (BufferedReader in = Files.newBufferedReader(dir.resolve(file), StandardCharsets.ISO_8859_1)) {
        String line;
        int number = 0;
        while ((line = in.readLine()) != null) {
          number++;
          if (line.startsWith("  ") || line.isBlank()) {
            continue;
          }
          synsets.add(parse(DATA_FILES.get(file), line, file + ":" + number));
        }
      }
    }
    Map<String, Set<String>> irregular = new HashMap<>();
    for (String pos : List.of("noun", "verb", "adj", "adv")) {
      for (String line : Files.readAllLines(dir.resolve(pos + ".exc"), StandardCharsets.ISO_8859_1)) {
        String[] f = line.strip().split(" ");
        for (int i = 1; i < f.length; i++) {
          irregular.computeIfAbsent(f[i].replace('_', ' '), x -> new LinkedHashSet<>()).add(f[0].replace('_', ' '));
        }
      }
    }
    return new WordNet(synsets, irregular);
  }

  /**
   * Parses one data line whose synsets' ids start with {@code letter}.
   *
   * @throws WordNetFormatException naming {@code where} if the line does not parse
   */
  static Synset parse(String letter, String line, String where) throws WordNetFormatException {
    int bar = line.indexOf(" | ");
    if (bar < 0) {
      throw new WordNetFormatException(where + ": no gloss");
    }
    String[] f = line.substring(0, bar).split(" ");
    try {
      int count = Integer.parseInt(f[3], 16);
      if (f.length < 4 + 2 * count || count == 0) {
        throw new WordNetFormatException(where + ": " + count + " words announced, line too short");
      }
      List<String> words = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String w = MARKER.matcher(f[4 + 2 * i]).replaceFirst("");
        words.add(w.replace('_', ' ').toLowerCase(Locale.ROOT));
      }
      String gloss = line.substring(bar + 3).strip();
      int quote = gloss.indexOf('"');
      String definition = (quote < 0 ? gloss : gloss.substring(0, quote)).strip();
      while (definition.endsWith(";")) {
        definition = definition.substring(0, definition.length() - 1).strip();
      }
      List<String> examples = new ArrayList<>();
      Matcher m = QUOTED.matcher(gloss);
      while (m.find()) {
        String e = m.group(1).strip();
        if (!e.isEmpty()) {
          examples.add(e);
        }
      }
      return new Synset(letter + f[0], words, definition, examples);
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw new WordNetFormatException(where + ": " + e.getMessage());
    }
  }

  /** Every synset, in file order: nouns, verbs, adjectives, adverbs. */
  public List<Synset> synsets() {
    return synsets;
  }

  /** The irregular inflected forms of {@code base} ({@code go}: {@code went}, {@code gone}, ...). */
  public Set<String> irregularForms(String base) {
    return irregular.getOrDefault(base, Set.of());
  }
}
