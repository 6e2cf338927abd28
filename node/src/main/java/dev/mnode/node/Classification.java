package dev.mnode.node;

import dev.mnode.index.Embedder;
import dev.mnode.index.IndexException;
import dev.mnode.node.classify.ClassMetadata;
import dev.mnode.node.classify.Classifier;
import dev.mnode.node.classify.Example;
import dev.mnode.node.classify.Proposal;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryId;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Proposes classes for memories written without one, with the user's own classified memories as
 * examples. The examples (ids and classes) are read from the store on the first proposal and kept
 * in step with this process's writes; their vectors come from the recall index, so a text is
 * embedded once for both.
 *
 * <p>Thread-safe.
 */
final class Classification {
  /** At most this many examples are kept, newest first. */
  static final int MAX_EXAMPLES = 5_000;

  private final MemoryStore store;
  private final Retrieval retrieval;
  private final Classifier classifier;
  /** Example memory ids and their classes; null until first needed. Guarded by this. */
  private @Nullable Map<String, String> examples;

  Classification(MemoryStore store, Retrieval retrieval, Embedder embedder, Classifier.Settings settings) {
    this.store = store;
    this.retrieval = retrieval;
    this.classifier = new Classifier(embedder, settings);
  }

  /** A proposal and the embedding of the text it was made for. */
  record Outcome(Proposal proposal, boolean sure, float[] vector) {}

  /** Proposes one of {@code candidates} for {@code text}. */
  Outcome propose(String text, Collection<String> candidates) throws NodeException {
    try {
      List<Example> ex = examples();
      float[] v = classifier.embed(text);
      Proposal p = classifier.propose(v, candidates, ex);
      return new Outcome(p, p.sureAt(classifier.settings().threshold()), v);
    } catch (IndexException e) {
      throw new NodeException("cannot classify the memory: " + e.getMessage(), e);
    }
  }

  /**
   * Proposes one of {@code candidates} for each of {@code texts}, embedding them {@value #BATCH}
   * per model call (an import's lines without a class).
   */
  List<Outcome> proposeAll(List<String> texts, Collection<String> candidates) throws NodeException {
    try {
      List<Example> ex = examples();
      List<Outcome> out = new ArrayList<>(texts.size());
      for (int i = 0; i < texts.size(); i += BATCH) {
        List<float[]> vs = classifier.embedAll(texts.subList(i, Math.min(texts.size(), i + BATCH)));
        for (float[] v : vs) {
          Proposal p = classifier.propose(v, candidates, ex);
          out.add(new Outcome(p, p.sureAt(classifier.settings().threshold()), v));
        }
      }
      return out;
    } catch (IndexException e) {
      throw new NodeException("cannot classify memories: " + e.getMessage(), e);
    }
  }

  /** Texts embedded per model call when classifying many. */
  static final int BATCH = 64;

  /** Notes memories just written, so that examples follow changes of class and provenance. */
  synchronized void written(List<Memory> memories) {
    if (examples == null) {
      return;
    }
    for (Memory m : memories) {
      if (ClassMetadata.isExample(m)) {
        examples.put(m.id().toString(), m.memoryClass().name());
      } else {
        examples.remove(m.id().toString());
      }
    }
  }

  /** Notes a memory just forgotten. */
  synchronized void removed(MemoryId id) {
    if (examples != null) {
      examples.remove(id.toString());
    }
  }

  private List<Example> examples() throws NodeException, IndexException {
    Map<String, String> ids;
    synchronized (this) {
      if (examples == null) {
        examples = load();
      }
      ids = Map.copyOf(examples);
    }
    if (ids.isEmpty()) {
      return List.of(); // nothing to compare with: no need to open the index
    }
    Map<String, float[]> vectors = retrieval.index(ProgressListener.NONE, false).vectors(ids.keySet());
    List<Example> out = new ArrayList<>(vectors.size());
    vectors.forEach((id, v) -> out.add(new Example(ids.get(id), v)));
    return out;
  }

  private Map<String, String> load() throws NodeException {
    Map<String, String> out = new HashMap<>();
    try {
      store.scan(
          Optional.empty(),
          m -> {
            if (ClassMetadata.isExample(m)) {
              out.put(m.id().toString(), m.memoryClass().name());
            }
            return out.size() < MAX_EXAMPLES;
          });
    } catch (StoreException e) {
      throw new NodeException(e.getMessage(), e);
    }
    return out;
  }
}
