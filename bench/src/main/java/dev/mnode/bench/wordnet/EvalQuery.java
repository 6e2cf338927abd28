package dev.mnode.bench.wordnet;

/**
 * One query of the evaluation and the one memory that answers it.
 *
 * @param text the example sentence with its synset's words masked
 * @param relevantId the id of the synset the sentence illustrates
 * @param example the sentence as WordNet has it, for reports
 */
public record EvalQuery(String text, String relevantId, String example) {}
