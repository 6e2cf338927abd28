package dev.mnode.index;

import java.util.List;

/**
 * Turns texts into unit-length vectors whose dot product measures similarity of meaning.
 * Implementations are thread-safe.
 */
public interface Embedder {
  /** A stable name of the model and its version; a change means every vector must be rebuilt. */
  String modelId();

  /** Length of every vector. */
  int dimensions();

  /**
   * Returns one unit-length vector per text, in order.
   *
   * @throws IndexException if the model fails
   */
  List<float[]> embed(List<String> texts) throws IndexException;

  /**
   * Returns one unit-length vector per search query, in order. Models trained with a query
   * instruction (bge) override this to add it; for the others a query is embedded like a text.
   *
   * @throws IndexException if the model fails
   */
  default List<float[]> embedQueries(List<String> queries) throws IndexException {
    return embed(queries);
  }
}
