package dev.mnode.bench;

import dev.mnode.index.Embedder;
import dev.mnode.index.IndexException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Embeds a corpus in batches on one thread per core, reporting progress, and keeps the vectors in
 * a {@link VectorCache} when given a directory for it.
 */
final class CorpusEmbedding {
  /** Texts per {@link Embedder#embed} call. */
  static final int BATCH = 32;
  private static final long PROGRESS_NANOS = 15_000_000_000L;

  /**
   * The corpus's vectors.
   *
   * @param vectors one unit vector per text, in order
   * @param seconds how long embedding took (when it was computed, for cached vectors)
   * @param threads Java threads that called the embedder
   * @param cached whether the vectors came from the cache
   * @param cacheBytes size of the cache file, 0 without a cache
   */
  record Result(float[][] vectors, double seconds, int threads, boolean cached, long cacheBytes) {}

  private CorpusEmbedding() {}

  /**
   * Returns the vectors of {@code texts}, from {@code cacheDir} when it holds them, else computed
   * (and then stored there).
   *
   * @throws IndexException if the model fails
   */
  static Result embed(Embedder embedder, List<String> texts, @Nullable Path cacheDir, Consumer<String> progress)
      throws IndexException, IOException, InterruptedException {
    int threads = Runtime.getRuntime().availableProcessors();
    Path file = cacheDir == null ? null : VectorCache.file(cacheDir, embedder.modelId(), texts);
    if (file != null) {
      Optional<VectorCache.Entry> hit = VectorCache.read(file, embedder.modelId(), texts, embedder.dimensions());
      if (hit.isPresent()) {
        progress.accept("vectors of " + Fmt.count(texts.size()) + " memories read from " + file.getFileName());
        return new Result(hit.get().vectors(), hit.get().seconds(), threads, true, Files.size(file));
      }
    }
    long t0 = System.nanoTime();
    float[][] vectors = computeAll(embedder, texts, threads, progress, t0);
    double seconds = (System.nanoTime() - t0) / 1e9;
    long bytes = 0;
    if (file != null) {
      VectorCache.write(file, embedder.modelId(), texts, vectors, seconds);
      bytes = Files.size(file);
    }
    return new Result(vectors, seconds, threads, false, bytes);
  }

  /**
   * Embeds {@code texts} as queries ({@link Embedder#embedQueries}), in batches on one thread.
   *
   * @throws IndexException if the model fails
   */
  static float[][] queries(Embedder embedder, List<String> texts) throws IndexException {
    float[][] out = new float[texts.size()][];
    for (int from = 0; from < texts.size(); from += BATCH) {
      List<float[]> batch = embedder.embedQueries(texts.subList(from, Math.min(texts.size(), from + BATCH)));
      for (int i = 0; i < batch.size(); i++) {
        out[from + i] = batch.get(i);
      }
    }
    return out;
  }

  private static float[][] computeAll(
      Embedder embedder, List<String> texts, int threads, Consumer<String> progress, long t0)
      throws IndexException, InterruptedException {
    float[][] out = new float[texts.size()][];
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<float[]>>> batches = new ArrayList<>();
      for (int from = 0; from < texts.size(); from += BATCH) {
        List<String> batch = texts.subList(from, Math.min(texts.size(), from + BATCH));
        batches.add(pool.submit(() -> embedder.embed(batch)));
      }
      long lastReport = System.nanoTime();
      for (int b = 0; b < batches.size(); b++) {
        List<float[]> vectors = batches.get(b).get();
        for (int i = 0; i < vectors.size(); i++) {
          out[b * BATCH + i] = vectors.get(i);
        }
        long now = System.nanoTime();
        if (now - lastReport > PROGRESS_NANOS) {
          lastReport = now;
          int done = Math.min(texts.size(), (b + 1) * BATCH);
          double rate = done / ((now - t0) / 1e9);
          progress.accept(
              String.format(
                  Locale.ROOT,
                  "embedded %s of %s memories (%.0f%%, %.0f/s, about %.0f s left)",
                  Fmt.count(done),
                  Fmt.count(texts.size()),
                  100.0 * done / texts.size(),
                  rate,
                  (texts.size() - done) / rate));
        }
      }
      return out;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IndexException x) {
        throw x;
      }
      throw new IndexException("embedding failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
