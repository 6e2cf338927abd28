package dev.mnode.index;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;

/**
 * all-MiniLM-L6-v2 (quantized, 384 dimensions) through ONNX Runtime, in process, from the model
 * file inside its Maven jar: nothing is downloaded. The tokenizer library (DJL) reports usage to a
 * cloud metadata address at start unless told it is offline, so this class sets {@code
 * ai.djl.offline} before the model loads. Thread-safe.
 */
final class OnnxEmbedder implements Embedder {
  static final String MODEL_ID = "all-minilm-l6-v2-q/langchain4j-1.19.0-beta29";

  private final AllMiniLmL6V2QuantizedEmbeddingModel model;

  OnnxEmbedder() {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
    this.model = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
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
}
