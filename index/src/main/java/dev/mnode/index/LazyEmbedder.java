package dev.mnode.index;

import java.util.List;

/**
 * An embedder that loads its model on first use, so that a node that only reads or only writes
 * never pays for the model. Its model id and length are known before loading. Thread-safe.
 */
public final class LazyEmbedder implements Embedder {
  /** Loads the model. */
  @FunctionalInterface
  public interface Loader {
    Embedder load() throws IndexException;
  }

  private final String modelId;
  private final int dimensions;
  private final Loader loader;
  private volatile Embedder loaded;

  public LazyEmbedder(String modelId, int dimensions, Loader loader) {
    this.modelId = modelId;
    this.dimensions = dimensions;
    this.loader = loader;
  }

  /** The in-process all-MiniLM-L6-v2 (quantized), loaded when first used. */
  public static LazyEmbedder minilm() {
    return new LazyEmbedder(OnnxEmbedder.MODEL_ID, 384, OnnxEmbedder::new);
  }

  /** An OpenAI-compatible endpoint, asked for its vector length only when first used. */
  public static Embedder http(String endpoint, String model, String apiKey, int dimensions, java.time.Duration timeout) {
    return new Embedder() {
      private volatile HttpEmbedder e;

      private HttpEmbedder get() throws IndexException {
        if (e == null) {
          synchronized (this) {
            if (e == null) {
              e = HttpEmbedder.create(endpoint, model, apiKey, dimensions, timeout);
            }
          }
        }
        return e;
      }

      @Override
      public String modelId() {
        return HttpEmbedder.modelId(endpoint, model);
      }

      @Override
      public int dimensions() {
        try {
          return get().dimensions();
        } catch (IndexException ex) {
          throw new IllegalStateException(ex.getMessage(), ex);
        }
      }

      @Override
      public List<float[]> embed(List<String> texts) throws IndexException {
        return get().embed(texts);
      }
    };
  }

  /** Whether the model has been loaded. */
  public boolean isLoaded() {
    return loaded != null;
  }

  private Embedder model() throws IndexException {
    Embedder e = loaded;
    if (e == null) {
      synchronized (this) {
        e = loaded;
        if (e == null) {
          e = loader.load();
          if (!e.modelId().equals(modelId) || e.dimensions() != dimensions) {
            throw new IndexException("model loaded as " + e.modelId() + " but was announced as " + modelId);
          }
          loaded = e;
        }
      }
    }
    return e;
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public int dimensions() {
    return dimensions;
  }

  @Override
  public List<float[]> embed(List<String> texts) throws IndexException {
    return model().embed(texts);
  }

  @Override
  public List<float[]> embedQueries(List<String> queries) throws IndexException {
    return model().embedQueries(queries);
  }
}
