package dev.mnode.index;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A sentence-embedding model through ONNX Runtime, in process, from the model file inside its
 * Maven jar: nothing is downloaded. The tokenizer library (DJL) reports usage to a cloud metadata
 * address at start unless told it is offline, so this class sets {@code ai.djl.offline} before the
 * model loads. Two models: all-MiniLM-L6-v2 (quantized, the default) and bge-small-en-v1.5
 * (quantized, CLS pooling), whose queries get the instruction it was trained with for
 * short-query-to-passage search, {@value #BGE_QUERY_INSTRUCTION}. Thread-safe.
 */
final class OnnxEmbedder implements Embedder {
  static final String MODEL_ID = "all-minilm-l6-v2-q/langchain4j-1.19.0-beta29";
  static final String BGE_MODEL_ID = "bge-small-en-v1.5-q/langchain4j-1.18.1-beta28";
  static final String BGE_QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";

  private final String modelId;
  private final String queryInstruction;
  private final EmbeddingModel model;

  /** all-MiniLM-L6-v2, quantized. */
  OnnxEmbedder() {
    this(MODEL_ID, "", () -> new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run));
  }

  private OnnxEmbedder(String modelId, String queryInstruction, Supplier<EmbeddingModel> load) {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
    this.modelId = modelId;
    this.queryInstruction = queryInstruction;
    this.model = load.get();
  }

  /** bge-small-en-v1.5, quantized, with its query instruction. */
  static OnnxEmbedder bgeSmall() {
    return new OnnxEmbedder(
        BGE_MODEL_ID, BGE_QUERY_INSTRUCTION, () -> new BgeSmallEnV15QuantizedEmbeddingModel(Runnable::run));
  }

  @Override
  public String modelId() {
    return modelId;
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

  /** Embeds each query with the model's query instruction, if it has one, in front. */
  @Override
  public List<float[]> embedQueries(List<String> queries) throws IndexException {
    if (queryInstruction.isEmpty()) {
      return embed(queries);
    }
    List<String> instructed = new ArrayList<>(queries.size());
    for (String q : queries) {
      instructed.add(queryInstruction + q);
    }
    return embed(instructed);
  }
}
