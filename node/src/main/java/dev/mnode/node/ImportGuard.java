package dev.mnode.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mnode.node.classify.ClassMetadata;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prepares validated import lines before anything is written, as remember prepares one memory:
 * lines without a class get one proposed (embedded {@value Classification#BATCH} per model call),
 * and every line is redacted on every core, while the file is still being read ({@link
 * Redacting}). The first line the redaction policy refuses fails the import with its line
 * number, before anything is written. Each call owns the threads it starts and stops them before
 * returning.
 */
final class ImportGuard {
  /** Lines per redaction task: small enough to spread the work, large enough to cost little to hand out. */
  static final int CHUNK = 256;

  private ImportGuard() {}

  /** One parsed line: its memory, its number in the file, and whether it named no class. */
  record Line(Memory memory, long number, boolean classless) {}

  /** Redacts one memory as remember does; throws when the policy refuses what it found. */
  @FunctionalInterface
  interface Redact {
    Memory apply(Memory m) throws InvalidInputException;
  }

  /** One line's parsed JSON and its number in the file. */
  record Raw(JsonNode node, long number) {}

  /** Validates one line into a memory; throws naming the line. */
  @FunctionalInterface
  interface Parse {
    Memory apply(Raw line) throws InvalidInputException;
  }

  /** Every line ready to write, in file order, and what classification computed. */
  record Prepared(List<Memory> memories, Classified classified) {}

  /**
   * Reads and validates every line of {@code in} (JSON Lines), redacting on the pool while it
   * reads, then classifies the lines without a class and redacts them.
   *
   * @throws InvalidInputException naming the first bad or refused line; nothing was written
   */
  static Prepared prepare(
      InputStream in, long totalBytes, Set<MemoryClass> known, Parse parse, Classification classification,
      Collection<String> candidates, Redact redact, ProgressListener listener) throws NodeException {
    List<Line> lines = new ArrayList<>();
    JsonLinesReader reader = new JsonLinesReader(in);
    try (Redacting redacting = new Redacting(redact, Runtime.getRuntime().availableProcessors(), listener)) {
      ProgressListener progress = redacting.progress(); // the pool reports too
      try {
        for (String text; (text = reader.next()) != null; ) {
          if (text.isBlank()) {
            continue;
          }
          long n = reader.lineNumber();
          JsonNode node = json(text, n);
          Memory m = parse.apply(new Raw(node, n));
          if (!known.contains(m.memoryClass())) {
            throw new InvalidInputException(
                "line " + n + ": unknown class \"" + m.memoryClass() + "\" (add it with: mnode classes add "
                    + m.memoryClass() + ")");
          }
          lines.add(new Line(m, n, !node.hasNonNull("class")));
          if (lines.size() % CHUNK == 0) {
            redacting.submit(lines.subList(lines.size() - CHUNK, lines.size()), lines.size() - CHUNK);
          }
          if ((n & 1023) == 0) {
            progress.progress("reading", reader.bytesRead(), totalBytes);
          }
        }
      } catch (IOException e) {
        throw new NodeException("cannot read import: " + e.getMessage(), e);
      }
      progress.progress("reading", reader.bytesRead(), totalBytes);
      int tail = lines.size() - lines.size() % CHUNK;
      redacting.submit(lines.subList(tail, lines.size()), tail);
      Classified classified = classify(lines, classification, candidates, progress);
      List<Line> now = new ArrayList<>();
      List<Integer> at = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).classless()) {
          now.add(classified.lines().get(i));
          at.add(i);
        }
      }
      redacting.submitClassified(now, at);
      return new Prepared(redacting.finish(lines.size()), classified);
    }
  }

  private static JsonNode json(String line, long n) throws InvalidInputException {
    try {
      return MemoryJson.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("line " + n + ": malformed JSON: " + e.getOriginalMessage());
    }
  }

  /** Lines after classification, with the vectors computed for the classified ones (by memory id). */
  record Classified(List<Line> lines, Map<String, float[]> vectors) {}

  /**
   * Gives each classless line the class proposed among {@code candidates} (or {@code other} when
   * unsure and a candidate), recording provenance and confidence in its metadata, as remember does.
   */
  static Classified classify(
      List<Line> lines, Classification classification, Collection<String> candidates, ProgressListener progress)
      throws NodeException {
    List<Integer> at = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).classless()) {
        at.add(i);
        texts.add(lines.get(i).memory().text());
      }
    }
    if (at.isEmpty()) {
      return new Classified(lines, Map.of());
    }
    List<Line> out = new ArrayList<>(lines);
    Map<String, float[]> vectors = new HashMap<>();
    int step = Classification.BATCH * 16;
    for (int from = 0; from < texts.size(); from += step) {
      int to = Math.min(texts.size(), from + step);
      progress.progress("classifying", from, texts.size());
      List<Classification.Outcome> outcomes = classification.proposeAll(texts.subList(from, to), candidates);
      for (int j = from; j < to; j++) {
        Classification.Outcome o = outcomes.get(j - from);
        Line l = lines.get(at.get(j));
        String chosen = o.sure() || !candidates.contains(MemoryClass.OTHER.name())
            ? o.proposal().memoryClass()
            : MemoryClass.OTHER.name();
        Map<String, String> meta = new TreeMap<>(l.memory().metadata());
        meta.putAll(ClassMetadata.of(o.proposal(), o.sure()));
        Memory m;
        try {
          m = l.memory().toBuilder().memoryClass(new MemoryClass(chosen)).metadata(meta).build();
        } catch (IllegalArgumentException e) {
          throw new InvalidInputException("line " + l.number() + ": " + e.getMessage());
        }
        out.set(at.get(j), new Line(m, l.number(), true));
        vectors.put(m.id().toString(), o.vector());
      }
    }
    progress.progress("classifying", texts.size(), texts.size());
    return new Classified(out, vectors);
  }

  /**
   * Redacts every line with {@code redact} on {@code threads} threads and returns the memories in
   * line order.
   *
   * @throws InvalidInputException naming the first line (in file order) the policy refuses
   */
  static List<Memory> redact(List<Line> lines, Redact redact, int threads, ProgressListener progress)
      throws NodeException {
    try (Redacting r = new Redacting(redact, threads, progress)) {
      for (int from = 0; from < lines.size(); from += CHUNK) {
        r.submit(lines.subList(from, Math.min(lines.size(), from + CHUNK)), from);
      }
      return r.finish(lines.size());
    }
  }

  /**
   * Redaction running on a pool while the file is still being read: chunks of lines are handed
   * over as they are parsed, each with the index of its first line; lines still waiting for a
   * class are skipped and handed over again once classified. {@link #finish} waits for all.
   * Confined to the importing thread (the pool's tasks share nothing but their own results);
   * {@code progress} is called under this object's lock, from any thread.
   */
  static final class Redacting implements AutoCloseable {
    private final Redact redact;
    private final ProgressListener progress;
    private final ExecutorService pool;
    private final List<Future<Chunk>> tasks = new ArrayList<>();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong submitted = new AtomicLong();

    /** One task's result: memories for the line indexes {@code at} (null where skipped), or the line refused. */
    private record Chunk(int[] at, Memory[] out, InvalidInputException refused) {}

    Redacting(Redact redact, int threads, ProgressListener progress) {
      this.redact = redact;
      this.progress = progress;
      this.pool = Executors.newFixedThreadPool(Math.max(1, threads), named());
    }

    /** Redacts {@code chunk} (lines from index {@code from}) in the background, skipping classless ones. */
    void submit(List<Line> chunk, int from) {
      List<Line> mine = List.copyOf(chunk);
      int[] at = new int[mine.size()];
      for (int i = 0; i < at.length; i++) {
        at[i] = from + i;
      }
      submitted.addAndGet(mine.stream().filter(l -> !l.classless()).count());
      tasks.add(pool.submit(() -> run(mine, at, false)));
    }

    /** Redacts lines now classified, each at its index in {@code at}, in chunks. */
    void submitClassified(List<Line> classified, List<Integer> at) {
      for (int from = 0; from < classified.size(); from += CHUNK) {
        int to = Math.min(classified.size(), from + CHUNK);
        List<Line> mine = List.copyOf(classified.subList(from, to));
        int[] where = at.subList(from, to).stream().mapToInt(Integer::intValue).toArray();
        submitted.addAndGet(mine.size());
        tasks.add(pool.submit(() -> run(mine, where, true)));
      }
    }

    private Chunk run(List<Line> lines, int[] at, boolean classifiedNow) {
      Memory[] out = new Memory[lines.size()];
      for (int i = 0; i < lines.size(); i++) {
        Line l = lines.get(i);
        if (l.classless() && !classifiedNow) {
          continue;
        }
        try {
          out[i] = redact.apply(l.memory());
        } catch (InvalidInputException e) {
          return new Chunk(at, out, new InvalidInputException("line " + l.number() + ": " + e.getMessage()));
        }
      }
      long n = done.addAndGet(lines.size());
      synchronized (this) {
        progress.progress("redacting", n, Math.max(n, submitted.get()));
      }
      return new Chunk(at, out, null);
    }

    /**
     * Waits for every chunk and returns the {@code total} memories in line order.
     *
     * @throws InvalidInputException naming the first refused line in file order
     */
    List<Memory> finish(int total) throws NodeException {
      Memory[] all = new Memory[total];
      InvalidInputException first = null;
      long firstLine = Long.MAX_VALUE;
      try {
        for (Future<Chunk> t : tasks) {
          Chunk c = t.get();
          if (c.refused() != null) {
            long line = lineOf(c.refused());
            if (line < firstLine) {
              firstLine = line;
              first = c.refused();
            }
            continue;
          }
          for (int i = 0; i < c.out().length; i++) {
            if (c.out()[i] != null) {
              all[c.at()[i]] = c.out()[i];
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NodeException("import interrupted while redacting", e);
      } catch (ExecutionException e) {
        throw new NodeException("redaction failed: " + e.getCause(), e.getCause());
      }
      if (first != null) {
        throw first;
      }
      for (int i = 0; i < total; i++) {
        if (all[i] == null) {
          throw new IllegalStateException("line at index " + i + " was never redacted");
        }
      }
      synchronized (this) {
        progress.progress("redacting", total, total);
      }
      return List.of(all);
    }

    private static long lineOf(InvalidInputException e) {
      String m = e.getMessage(); // "line N: ..."
      return Long.parseLong(m.substring(5, m.indexOf(':')));
    }

    /** The progress listener, serialised with the pool's reports. */
    ProgressListener progress() {
      return (phase, d, t) -> {
        synchronized (this) {
          progress.progress(phase, d, t);
        }
      };
    }

    @Override
    public void close() {
      pool.shutdownNow();
    }
  }

  private static ThreadFactory named() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "mnode-import-redact-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
