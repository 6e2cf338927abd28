package dev.mnode.index;

/** Builds the index module's implementations. */
public final class IndexModule {
  private IndexModule() {}

  /** The default embedder: all-MiniLM-L6-v2 (quantized) in process. Loading takes about a second. */
  public static Embedder defaultEmbedder() {
    return new OnnxEmbedder();
  }
}
