package dev.mnode.index;

/** Builds the index module's implementations. */
public final class IndexModule {
  private IndexModule() {}

  /** The default embedder: all-MiniLM-L6-v2 (quantized) in process. Loading takes about a second. */
  public static Embedder defaultEmbedder() {
    return new OnnxEmbedder();
  }

  /**
   * The in-process embedder called {@code name}: {@code "minilm"} (all-MiniLM-L6-v2, quantized, the
   * default) or {@code "bge-small"} (bge-small-en-v1.5, quantized, with its query instruction).
   * Loading takes about a second.
   *
   * @throws IllegalArgumentException naming an unknown model
   */
  public static Embedder embedder(String name) {
    return switch (name) {
      case "minilm" -> new OnnxEmbedder();
      case "bge-small" -> OnnxEmbedder.bgeSmall();
      default -> throw new IllegalArgumentException("unknown embedding model: " + name + " (minilm, bge-small)");
    };
  }
}
