package dev.mnode.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic synthetic memories: a text of 8 to 40 words drawn with a skewed frequency from an
 * everyday vocabulary, one of the five built-in classes, zero to four tags, an importance, a
 * source, a creation time within two years and, on a fifth of them, a project in the metadata. The
 * same seed always gives the same memories. Not thread-safe.
 */
final class Corpus {
  /** Seed of every benchmark's corpus. */
  static final long SEED = 0x6d6e6f6465L;

  private static final String[] WORDS =
      words(
          "the to and a of for in on with is that we it my at from our be next about before after"
              + " team meeting project week prefer use call send review plan decided moved budget"
              + " release doctor appointment invoice payment account bank tax rent insurance flight"
              + " hotel trip birthday dinner friday monday tuesday morning evening deadline client"
              + " contract design draft feedback notes code tests server database backup password"
              + " manager migration customer support ticket sprint roadmap quarter report numbers"
              + " pharmacy prescription allergy dentist gym running sleep coffee tea lunch recipe"
              + " garden school kids parents sister brother wife husband partner landlord lease car"
              + " repair train ticket passport visa renew reminder always never usually short long"
              + " answers examples first last new old better cheaper faster slower important urgent"
              + " later today tomorrow every month year price subscription cancel keep share ask"
              + " remember avoid likes dislikes works lives berlin paris london office home remote"
              + " hybrid laptop phone email slack calendar standup retro interview hiring salary"
              + " bonus savings pension loan mortgage vitamin blood pressure results therapy yoga"
              + " diet vegetarian coffee espresso python java rust typescript kubernetes deploy"
              + " staging production incident latency cache index query schema api key rotate"
              + " vendor stripe pricing discount refund warranty delivery order package address"
              + " postcode neighbour holiday vacation weekend concert book film series podcast"
              + " chapter author language german spanish lesson teacher course exam grade because"
              + " but so when while until since unless only also still again very too more less"
              + " some");
  private static final String[] CLASSES = {"personal", "work", "health", "financial", "other"};
  private static final String[] TAGS =
      words(
          "decision preference todo meeting travel family finance medical project idea contact "
              + "deadline style food code reading");
  private static final String[] SOURCES = {"chat", "editor", "notes", "mail", "cli"};
  private static final String[] PROJECTS = {"atlas", "borealis", "cobalt", "delta", "ember"};
  private static final long START = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
  private static final long SPAN = 2L * 365 * 24 * 3600 * 1000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SplittableRandom random;

  /** A corpus whose sequence is fixed by {@code seed}. */
  Corpus(long seed) {
    random = new SplittableRandom(seed);
  }

  /** Returns the next memory. */
  SyntheticMemory next() {
    String memoryClass = CLASSES[random.nextInt(CLASSES.length)];
    List<String> tags = new ArrayList<>();
    for (int n = random.nextInt(5); tags.size() < n; ) {
      String t = TAGS[random.nextInt(TAGS.length)];
      if (!tags.contains(t)) {
        tags.add(t);
      }
    }
    double importance = random.nextInt(101) / 100.0;
    String source = SOURCES[random.nextInt(SOURCES.length)];
    Instant created = Instant.ofEpochMilli(START + random.nextLong(SPAN));
    Map<String, String> metadata =
        random.nextInt(5) == 0
            ? Map.of("project", PROJECTS[random.nextInt(PROJECTS.length)])
            : Map.of();
    return new SyntheticMemory(text(), memoryClass, tags, importance, source, created, metadata);
  }

  /** Returns the next {@code n} memories as JSON Lines, the format {@code mnode import} reads. */
  byte[] jsonLines(int n) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(n * 320);
    try {
      for (int i = 0; i < n; i++) {
        out.write(JSON.writeValueAsBytes(toJson(next())));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static ObjectNode toJson(SyntheticMemory m) {
    ObjectNode o = JSON.createObjectNode();
    o.put("text", m.text());
    o.put("class", m.memoryClass());
    m.tags().forEach(o.putArray("tags")::add);
    o.put("importance", m.importance());
    o.put("source", m.source());
    o.put("created", m.created().toString());
    if (!m.metadata().isEmpty()) {
      ObjectNode meta = o.putObject("metadata");
      m.metadata().forEach(meta::put);
    }
    return o;
  }

  /** Splits a space-separated list; the order of the lists is part of the seeded corpus. */
  private static String[] words(String text) {
    return text.strip().split("\\s+");
  }

  /** 8 to 40 words in sentences of 4 to 14 words, each capitalised and closed by a full stop. */
  private String text() {
    int words = 8 + random.nextInt(33);
    StringBuilder sb = new StringBuilder(words * 7);
    int sentenceLeft = 0;
    for (int i = 0; i < words; i++) {
      String w = WORDS[(int) (Math.pow(random.nextDouble(), 2.0) * WORDS.length)];
      if (sentenceLeft == 0) {
        if (i > 0) {
          sb.append(". ");
        }
        sentenceLeft = Math.min(words - i, 4 + random.nextInt(11));
        sb.append(Character.toUpperCase(w.charAt(0))).append(w, 1, w.length());
      } else {
        sb.append(' ').append(w);
      }
      sentenceLeft--;
    }
    return sb.append('.').toString();
  }
}
