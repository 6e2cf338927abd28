package dev.mnode.bench;

import java.util.List;

/**
 * How well one ranking method found the one relevant memory of each query.
 *
 * @param method the ranking, in words
 * @param recallAt1 share of queries whose memory ranked first
 * @param recallAt10 share of queries whose memory ranked in the first ten
 * @param mrr mean reciprocal rank of the memory, counting 0 where it is not in the ranked list
 *     (at most {@link RetrievalEval#DEPTH} long)
 */
record RankQuality(String method, double recallAt1, double recallAt10, double mrr) {

  /** Adds up one method's rankings, query by query. Confined to one thread. */
  static final class Counter {
    private final String method;
    private int queries;
    private int at1;
    private int at10;
    private double reciprocal;

    Counter(String method) {
      this.method = method;
    }

    /** Counts one query whose memory is {@code relevant}, given its ranking, best first. */
    void add(List<String> ranked, String relevant) {
      queries++;
      int rank = ranked.indexOf(relevant) + 1;
      if (rank == 0) {
        return;
      }
      at1 += rank == 1 ? 1 : 0;
      at10 += rank <= 10 ? 1 : 0;
      reciprocal += 1.0 / rank;
    }

    RankQuality result() {
      if (queries == 0) {
        throw new IllegalStateException(method + ": no queries counted");
      }
      return new RankQuality(
          method,
          Fmt.round((double) at1 / queries, 4),
          Fmt.round((double) at10 / queries, 4),
          Fmt.round(reciprocal / queries, 4));
    }
  }
}
