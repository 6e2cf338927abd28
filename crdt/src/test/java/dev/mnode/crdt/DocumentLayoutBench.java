package dev.mnode.crdt;

import static dev.mnode.crdt.Devices.T0;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.automerge.AmValue;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.Transaction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Measures the two ways to lay memories out in Automerge: one small document per memory (what
 * {@link MemoryDoc} does) against one document per class holding every memory as a map of id to
 * memory map. Prints a table; asserts nothing. Tagged "bench", so the default build skips it; run
 * it with {@code mvn -B -q -pl crdt -am verify -Dcrdt.excludedGroups= -Dgroups=bench}.
 */
@Tag("bench")
class DocumentLayoutBench {
  private static final int PER_MEMORY_DOCS = 100_000;
  private static final int CLASS_DOC_MEMORIES = 20_000;
  private static final int RELOADS = 10_000;

  private final ActorId actor = Devices.actor("bench-laptop");

  /** 2,000 pseudo-words, so texts compress about as much as prose does, not like one repeated line. */
  private static final String[] WORDS = words(2_000);

  private static String[] words(int n) {
    Random r = new Random(1);
    String[] w = new String[n];
    for (int i = 0; i < n; i++) {
      char[] c = new char[3 + r.nextInt(7)];
      for (int j = 0; j < c.length; j++) {
        c[j] = (char) ('a' + r.nextInt(26));
      }
      w[i] = new String(c);
    }
    return w;
  }

  /** About 150 characters of words, different for every {@code i}. */
  private static String text(int i) {
    Random r = new Random(i);
    StringBuilder b = new StringBuilder();
    while (b.length() < 140) {
      b.append(WORDS[r.nextInt(WORDS.length)]).append(' ');
    }
    return b.toString().strip();
  }

  /** The memories, built once so that building them is not timed. */
  private static final List<MemoryFields> FIELDS = new ArrayList<>();

  private static MemoryFields fields(int i) {
    while (FIELDS.size() <= i) {
      FIELDS.add(newFields(FIELDS.size()));
    }
    return FIELDS.get(i);
  }

  private static MemoryFields newFields(int i) {
    return MemoryFields.builder(text(i), T0.plusSeconds(i))
        .memoryClass("work")
        .tags(List.of("payments", "decision-" + (i % 50)))
        .importance((i % 10) / 10.0)
        .source("claude-desktop")
        .metadata(Map.of("project", "checkout"))
        .links(List.of(new UUID(i, 7).toString()))
        .build();
  }

  private static String id(int i) {
    return new UUID(0x01a218dfL << 32 | i, 0x8000000000000000L | i).toString();
  }

  @Test
  void oneDocumentPerMemory_againstOneDocumentPerClass() throws Exception {
    fields(PER_MEMORY_DOCS - 1);
    perMemory(2_000); // warm up the JIT and the native library
    rawPerMemory(2_000);
    classDocument(2_000, false);
    System.out.println();
    System.out.println("Automerge layouts (automerge-java 0.0.7, " + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version") + ")");
    perMemory(PER_MEMORY_DOCS);
    rawPerMemory(PER_MEMORY_DOCS);
    classDocument(CLASS_DOC_MEMORIES, false);
    classDocument(CLASS_DOC_MEMORIES, true);
  }

  private void perMemory(int n) throws Exception {
    List<ByteString> saved = new ArrayList<>(n);
    long changeBytes = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      try (MemoryDoc d = CrdtModule.newMemoryDoc(actor)) {
        changeBytes += d.create(id(i), fields(i)).length();
        saved.add(d.save());
      }
    }
    long created = System.nanoTime() - t0;
    long savedBytes = saved.stream().mapToLong(ByteString::length).sum();

    int reloads = Math.min(RELOADS, n);
    long t1 = System.nanoTime();
    long editBytes = 0;
    long resavedBytes = 0;
    for (int i = 0; i < reloads; i++) {
      try (MemoryDoc d = CrdtModule.loadMemoryDoc(saved.get(i), actor)) {
        editBytes += d.update(MemoryEdit.at(T0.plusSeconds(n + i)).importance(0.99).build()).orElseThrow().length();
        resavedBytes += d.save().length();
      }
    }
    long edited = System.nanoTime() - t1;

    Changes edit;
    try (MemoryDoc d = CrdtModule.loadMemoryDoc(saved.get(0), actor)) {
      edit = d.update(MemoryEdit.at(T0.plusSeconds(n)).pinned(true).build()).orElseThrow();
    }
    long t2 = System.nanoTime();
    for (int i = 0; i < reloads; i++) {
      try (MemoryDoc d = CrdtModule.loadMemoryDoc(saved.get(0), Devices.actor("bench-phone"))) {
        d.applyChanges(edit);
        d.materialize();
        d.save();
      }
    }
    long applied = System.nanoTime() - t2;

    if (n < PER_MEMORY_DOCS) {
      return;
    }
    System.out.printf(Locale.ROOT, "one doc per memory: create+save %,d docs: %,d ms (%.1f us/doc); saved %.0f bytes/doc (%,d bytes total); first change %.0f bytes/doc%n",
        n, created / 1_000_000, created / 1e3 / n, savedBytes / (double) n, savedBytes, changeBytes / (double) n);
    System.out.printf(Locale.ROOT, "one doc per memory: load + edit one field + save, %,d docs: %.1f us/doc; edit change %.0f bytes; saved after edit %.0f bytes/doc%n",
        reloads, edited / 1e3 / reloads, editBytes / (double) reloads, resavedBytes / (double) reloads);
    System.out.printf(Locale.ROOT, "one doc per memory: load + apply a remote one-field change + materialize + save: %.1f us/doc%n",
        applied / 1e3 / reloads);
  }

  /** The same documents written with automerge-java directly: what the wrapper costs on top. */
  private void rawPerMemory(int n) {
    long bytes = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      Document d = new Document(actor.bytes().toByteArray());
      try (Transaction tx = d.startTransaction()) {
        writeMemory(tx, ObjectId.ROOT, i);
        tx.commit();
      }
      bytes += d.save().length;
      d.free();
    }
    long t = System.nanoTime() - t0;
    if (n == PER_MEMORY_DOCS) {
      System.out.printf(Locale.ROOT, "one doc per memory, automerge-java alone (no wrapper): create+save %,d docs: %,d ms (%.1f us/doc); %.0f bytes/doc%n",
          n, t / 1_000_000, t / 1e3 / n, bytes / (double) n);
    }
  }

  private void classDocument(int n, boolean oneTransaction) {
    Document doc = new Document(actor.bytes().toByteArray());
    long t0 = System.nanoTime();
    long changeBytes = 0;
    if (oneTransaction) {
      try (Transaction tx = doc.startTransaction()) {
        for (int i = 0; i < n; i++) {
          writeMemory(tx, tx.set(ObjectId.ROOT, id(i), ObjectType.MAP), i);
        }
        tx.commit();
      }
    } else {
      for (int i = 0; i < n; i++) {
        try (Transaction tx = doc.startTransaction()) {
          writeMemory(tx, tx.set(ObjectId.ROOT, id(i), ObjectType.MAP), i);
          tx.commit();
        }
      }
    }
    long added = System.nanoTime() - t0;
    changeBytes = doc.encodeChangesSince(new ChangeHash[0]).length;

    long t1 = System.nanoTime();
    byte[] saved = doc.save();
    long save = System.nanoTime() - t1;
    doc.free();

    long t2 = System.nanoTime();
    Document loaded = Document.load(saved);
    long load = System.nanoTime() - t2;

    // One small change at the end: edit one field of the last memory, on the loaded document;
    // then save again, and apply the change on another loaded copy. Medians of 11 rounds.
    ObjectId last = ((AmValue.Map) loaded.get(ObjectId.ROOT, id(n - 1)).orElseThrow()).getId();
    Document other = Document.load(saved);
    long[] edits = new long[11];
    long[] resaves = new long[11];
    long[] applies = new long[11];
    byte[] small = new byte[0];
    byte[] resaved = new byte[0];
    for (int round = 0; round < edits.length; round++) {
      long t3 = System.nanoTime();
      ChangeHash[] before = loaded.getHeads();
      try (Transaction tx = loaded.startTransaction()) {
        tx.set(last, "importance", round / 100.0);
        tx.commit();
      }
      small = loaded.encodeChangesSince(before);
      edits[round] = System.nanoTime() - t3;
      long t4 = System.nanoTime();
      resaved = loaded.save();
      resaves[round] = System.nanoTime() - t4;
      long t5 = System.nanoTime();
      other.applyEncodedChanges(small);
      applies[round] = System.nanoTime() - t5;
    }
    loaded.free();
    other.free();
    long edit = median(edits);
    long resave = median(resaves);
    long apply = median(applies);

    if (n < CLASS_DOC_MEMORIES) {
      return;
    }
    String how = oneTransaction ? "one transaction" : "one change per memory";
    System.out.printf(Locale.ROOT, "one doc per class (%s): add %,d memories: %,d ms (%.1f us/memory); changes %,d bytes%n",
        how, n, added / 1_000_000, added / 1e3 / n, changeBytes);
    System.out.printf(Locale.ROOT, "one doc per class (%s): save %,d ms, %,d bytes (%.0f bytes/memory); load %,d ms%n",
        how, save / 1_000_000, saved.length, saved.length / (double) n, load / 1_000_000);
    System.out.printf(Locale.ROOT, "one doc per class (%s): one-field edit at the end %.2f ms (change %d bytes); save again %,d ms (%,d bytes); apply that change on a loaded copy %.2f ms%n",
        how, edit / 1e6, small.length, resave / 1_000_000, resaved.length, apply / 1e6);
  }

  private static long median(long[] xs) {
    long[] sorted = xs.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static void writeMemory(Transaction tx, ObjectId m, int i) {
    MemoryFields f = fields(i);
    tx.set(m, "schema", 1);
    tx.set(m, "id", id(i));
    tx.set(m, "text", f.text());
    tx.set(m, "class", f.memoryClass());
    ObjectId tags = tx.set(m, "tags", ObjectType.MAP);
    for (String t : f.tags()) {
      tx.set(tags, t, true);
    }
    tx.set(m, "importance", f.importance());
    tx.set(m, "source", f.source());
    tx.set(m, "created", f.created().toString());
    tx.set(m, "updated", f.updated().toString());
    tx.set(m, "pinned", f.pinned());
    ObjectId meta = tx.set(m, "metadata", ObjectType.MAP);
    f.metadata().forEach((k, v) -> tx.set(meta, k, v));
    ObjectId links = tx.set(m, "links", ObjectType.MAP);
    for (String l : f.links()) {
      tx.set(links, l, true);
    }
  }
}
