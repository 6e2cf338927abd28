package dev.mnode.bench;

import java.util.List;

/**
 * The command line of {@code bin/bench recall}.
 *
 * @param quick evaluate the small slice that CI runs instead of the whole corpus
 * @param models the embedding models to evaluate, by name
 * @param json print one JSON document instead of tables
 * @param help print usage and exit
 */
record RecallOptions(boolean quick, List<String> models, boolean json, boolean help) {
  static final List<String> MODELS = List.of("minilm", "bge-small");
  static final String USAGE =
      """
      Usage: bin/bench recall [--quick] [--model minilm|bge-small|all] [--json]
        --quick  2,000 memories and 200 queries (the CI slice) instead of all of WordNet
                 (117,659 memories) and 2,000 queries
        --model  the embedding model to evaluate; all (the default) evaluates each in turn
        --json   print one JSON document with the same numbers instead of tables
      Needs Debian's wordnet-base (apt-get install wordnet-base). Corpus vectors are kept in
      bench/target/recall-cache/ so later runs skip embedding the corpus.
      """;

  /**
   * Parses the arguments after {@code recall}.
   *
   * @throws IllegalArgumentException naming an unknown argument or model
   */
  static RecallOptions parse(List<String> args) {
    boolean quick = false;
    boolean json = false;
    boolean help = false;
    List<String> models = MODELS;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--quick" -> quick = true;
        case "--json" -> json = true;
        case "-h", "--help" -> help = true;
        case "--model" -> {
          if (i + 1 >= args.size()) {
            throw new IllegalArgumentException("--model needs a value: minilm, bge-small or all");
          }
          String m = args.get(++i);
          if (m.equals("all")) {
            models = MODELS;
          } else if (MODELS.contains(m)) {
            models = List.of(m);
          } else {
            throw new IllegalArgumentException("unknown model: " + m + " (minilm, bge-small or all)");
          }
        }
        default -> throw new IllegalArgumentException("unknown argument: " + a);
      }
    }
    return new RecallOptions(quick, models, json, help);
  }
}
