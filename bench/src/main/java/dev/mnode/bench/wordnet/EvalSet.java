package dev.mnode.bench.wordnet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Memories and queries for the retrieval evaluation. Each synset is a memory whose text is its
 * gloss as WordNet writes it ({@code definition; "example"; "example"}) minus the example
 * sentences that this set asks as queries, so that no query is contained in its own answer while
 * the other examples stay, as they would in a note someone kept. Each query is an example sentence
 * with every form of its synset's words masked (see {@link Masker}); only sentences that
 * contained one of those words, and keep at least {@value #MIN_WORDS_LEFT} other words, qualify.
 * The sample is drawn with a fixed seed, so every run and every machine evaluates the same
 * queries. Immutable.
 *
 * @param memories the synsets to index, in file order
 * @param queries the queries, in sample order; each one's relevant synset is among {@code memories}
 */
public record EvalSet(List<Synset> memories, List<EvalQuery> queries) {
  /** The seed of the query sample and of the slice's other memories. */
  public static final long SEED = 20_261_126L;
  /** Words a masked sentence must keep besides the masks to be a query. */
  public static final int MIN_WORDS_LEFT = 2;

  public EvalSet {
    memories = List.copyOf(memories);
    queries = List.copyOf(queries);
    Set<String> ids = new HashSet<>();
    for (Synset s : memories) {
      ids.add(s.id());
    }
    for (EvalQuery q : queries) {
      if (!ids.contains(q.relevantId())) {
        throw new IllegalArgumentException("query's memory " + q.relevantId() + " is not in the set");
      }
    }
  }

  /**
   * The text of every memory, in order: the definition, then the examples that are not queries
   * here, each quoted, separated by {@code "; "}.
   */
  public List<String> memoryTexts() {
    Map<String, Set<String>> asked = new HashMap<>();
    for (EvalQuery q : queries) {
      asked.computeIfAbsent(q.relevantId(), x -> new HashSet<>()).add(q.example());
    }
    List<String> out = new ArrayList<>(memories.size());
    for (Synset s : memories) {
      StringBuilder text = new StringBuilder(s.definition());
      Set<String> held = asked.getOrDefault(s.id(), Set.of());
      for (String e : s.examples()) {
        if (!held.contains(e)) {
          text.append(text.length() == 0 ? "" : "; ").append('"').append(e).append('"');
        }
      }
      out.add(text.toString());
    }
    return out;
  }

  /** Every synset of {@code wordnet} as a memory and a seeded sample of {@code queries} queries. */
  public static EvalSet full(WordNet wordnet, int queries) {
    Masker masker = new Masker(wordnet::irregularForms);
    List<EvalQuery> candidates = new ArrayList<>();
    for (Synset s : wordnet.synsets()) {
      for (String example : s.examples()) {
        Optional<String> masked = masker.mask(example, s.words());
        if (masked.isPresent() && wordsLeft(masked.get()) >= MIN_WORDS_LEFT) {
          candidates.add(new EvalQuery(masked.get(), s.id(), example));
        }
      }
    }
    if (candidates.size() < queries) {
      throw new IllegalArgumentException(
          queries + " queries asked, only " + candidates.size() + " sentences qualify");
    }
    Collections.shuffle(candidates, new Random(SEED));
    return new EvalSet(wordnet.synsets(), candidates.subList(0, queries));
  }

  /**
   * A smaller set of the first {@code queries} queries, their memories, and other memories drawn
   * with the fixed seed up to {@code memories} in all (in file order).
   */
  public EvalSet slice(int memories, int queries) {
    if (queries > this.queries.size() || memories > this.memories.size() || memories < queries) {
      throw new IllegalArgumentException("slice of " + memories + " memories, " + queries + " queries is out of range");
    }
    List<EvalQuery> kept = this.queries.subList(0, queries);
    Set<String> chosen = new HashSet<>();
    for (EvalQuery q : kept) {
      chosen.add(q.relevantId());
    }
    List<Synset> others = new ArrayList<>();
    for (Synset s : this.memories) {
      if (!chosen.contains(s.id())) {
        others.add(s);
      }
    }
    Collections.shuffle(others, new Random(SEED + 1));
    for (Synset s : others.subList(0, memories - chosen.size())) {
      chosen.add(s.id());
    }
    List<Synset> sliced = new ArrayList<>(memories);
    for (Synset s : this.memories) {
      if (chosen.contains(s.id())) {
        sliced.add(s);
      }
    }
    return new EvalSet(sliced, kept);
  }

  private static int wordsLeft(String masked) {
    int n = 0;
    for (String token : masked.replace(Masker.MASK, " ").split("[^\\p{Alnum}]+")) {
      if (!token.isEmpty()) {
        n++;
      }
    }
    return n;
  }
}
