package dev.mnode.node;

import dev.mnode.node.classify.ClassMetadata;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * then every line is redacted, on every core, since the redactor runs about 1,500 memories/s on
 * one. The first line the redaction policy refuses fails the import with its line number, before
 * anything is written. Stateless; each call owns the threads it starts and stops them before
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
    Memory[] out = new Memory[lines.size()];
    AtomicLong done = new AtomicLong();
    Object progressLock = new Object();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), named());
    try {
      List<Future<InvalidInputException>> tasks = new ArrayList<>();
      for (int from = 0; from < lines.size(); from += CHUNK) {
        int start = from;
        int end = Math.min(lines.size(), from + CHUNK);
        tasks.add(pool.submit(() -> {
          for (int i = start; i < end; i++) {
            Line l = lines.get(i);
            try {
              out[i] = redact.apply(l.memory());
            } catch (InvalidInputException e) {
              return new InvalidInputException("line " + l.number() + ": " + e.getMessage());
            }
          }
          long n = done.addAndGet(end - start);
          synchronized (progressLock) {
            progress.progress("redacting", n, lines.size());
          }
          return null;
        }));
      }
      for (Future<InvalidInputException> t : tasks) { // in line order: the first refused line is reported
        InvalidInputException refused = t.get();
        if (refused != null) {
          throw refused;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NodeException("import interrupted while redacting", e);
    } catch (ExecutionException e) {
      throw new NodeException("redaction failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return List.of(out);
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
