package dev.mnode.bench.wordnet;

import java.util.List;

/**
 * One WordNet synset: a set of synonyms and the gloss that defines them.
 *
 * @param id the part of speech's file letter and the synset's byte offset in that file, {@code
 *     n02084071}; unique across the database
 * @param words the synonyms, lower case, with spaces for WordNet's underscores and without the
 *     adjective position markers {@code (a)}, {@code (p)}, {@code (ip)}; never empty
 * @param definition the gloss without its example sentences
 * @param examples the gloss's double-quoted example sentences, without the quotes, in order
 */
public record Synset(String id, List<String> words, String definition, List<String> examples) {
  public Synset {
    if (words.isEmpty()) {
      throw new IllegalArgumentException("synset " + id + " has no words");
    }
    words = List.copyOf(words);
    examples = List.copyOf(examples);
  }
}
