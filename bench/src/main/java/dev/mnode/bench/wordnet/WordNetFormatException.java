package dev.mnode.bench.wordnet;

/** A WordNet database file does not have the documented layout; the message says where. */
public final class WordNetFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  WordNetFormatException(String message) {
    super(message);
  }
}
