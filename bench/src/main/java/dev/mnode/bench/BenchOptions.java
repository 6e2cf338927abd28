package dev.mnode.bench;

import java.util.List;

/**
 * The command line of {@code bin/bench}.
 *
 * @param plan how much to do
 * @param json print one JSON document instead of tables
 * @param help print usage and exit
 */
record BenchOptions(Plan plan, boolean json, boolean help) {
  static final String USAGE =
      """
      Usage: bin/bench [--quick] [--json]
             bin/bench bundles
             bin/bench recall [--quick] [--model minilm|bge-small|all] [--json]
             bin/bench recall-node
             bin/bench sync [N]
             bin/bench backup [N]
             bin/bench p2p [N]
             bin/bench relay [N]
        --quick  smoke run: 10,000 memories instead of 100,000, fewer operations
        --json   print one JSON document with the same numbers instead of tables
        bundles  seal and open throughput of sync bundles, and their overhead
        recall   the retrieval evaluation on WordNet (bin/bench recall --help)
        recall-node  the node itself at the full WordNet corpus: cold start to first answer, latency
        sync     a fresh device applying N memories (default 100,000) from sealed bundles
        backup   backup and restore of a home of N memories (default 100,000), timed
        p2p      initial sync of N memories (default 100,000) between two nodes over libp2p, and remember-to-peer latency
        relay    N memories (default 100,000) up and down through an in-process S3 server
      """;

  /**
   * Parses {@code args}.
   *
   * @throws IllegalArgumentException naming an unknown argument
   */
  static BenchOptions parse(List<String> args) {
    boolean quick = false;
    boolean json = false;
    boolean help = false;
    for (String a : args) {
      switch (a) {
        case "--quick" -> quick = true;
        case "--json" -> json = true;
        case "-h", "--help" -> help = true;
        default -> throw new IllegalArgumentException("unknown argument: " + a);
      }
    }
    return new BenchOptions(quick ? Plan.quick() : Plan.full(), json, help);
  }
}
