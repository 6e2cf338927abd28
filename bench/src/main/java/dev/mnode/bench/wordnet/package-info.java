/**
 * The retrieval evaluation's corpus, which nobody here wrote: WordNet 3.0 as Debian's {@code
 * wordnet-base} package installs it. {@link dev.mnode.bench.wordnet.WordNet} reads the synsets,
 * {@link dev.mnode.bench.wordnet.Masker} hides a synset's own words in its example sentences, and
 * {@link dev.mnode.bench.wordnet.EvalSet} turns both into memories and queries with one relevant
 * memory each.
 */
@NullMarked
package dev.mnode.bench.wordnet;

import org.jspecify.annotations.NullMarked;
