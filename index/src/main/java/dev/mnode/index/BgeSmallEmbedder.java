package dev.mnode.index;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;

/**
 * bge-small-en-v1.5 (quantized, 384 dimensions, CLS pooling) through ONNX Runtime, in process,
 * from the model file inside its Maven jar: nothing is downloaded. Memories are embedded as they
 * are; queries get the instruction bge was trained with for short-query-to-passage search, {@value
 * #QUERY_INSTRUCTION}. Like {@link OnnxEmbedder} it tells the tokenizer library (DJL) that it is
 * offline before the model loads. Thread-safe.
 */
final class BgeSmallEmbedder implements Embedder {
  static final String MODEL_ID = "bge-small-en-v1.5-q/langchain4j-1.18.1-beta28";
  static final String QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";

  private final BgeSmallEnV15QuantizedEmbeddingModel model;

  BgeSmallEmbedder() {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
    this.model = new BgeSmallEnV15QuantizedEmbeddingModel(Runnable::run);
  }

  @Override
  public String modelId() {
    return MODEL_ID;
  }

  @Override
  public int dimensions() {
    return 384;
  }

  @Override
  public List<float[]> embed(List<String> texts) throws IndexException {
    List<TextSegment> segments = new ArrayList<>(texts.size());
    for (String t : texts) {
      segments.add(TextSegment.from(t));
    }
    try {
      List<Embedding> out = model.embedAll(segments).content();
      List<float[]> vectors = new ArrayList<>(out.size());
      for (Embedding e : out) {
        vectors.add(Vectors.normalize(e.vector()));
      }
      return vectors;
    } catch (RuntimeException e) {
      throw new IndexException("embedding failed: " + e.getMessage(), e);
    }
  }

  /** Embeds each query with {@link #QUERY_INSTRUCTION} in front. */
  @Override
  public List<float[]> embedQueries(List<String> queries) throws IndexException {
    List<String> instructed = new ArrayList<>(queries.size());
    for (String q : queries) {
      instructed.add(QUERY_INSTRUCTION + q);
    }
    return embed(instructed);
  }
}
