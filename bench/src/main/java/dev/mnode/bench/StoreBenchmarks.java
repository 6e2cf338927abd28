package dev.mnode.bench;

import dev.mnode.crypto.Argon2Params;
import dev.mnode.crypto.KeyFile;
import dev.mnode.node.Home;
import dev.mnode.node.ImportSummary;
import dev.mnode.node.ListQuery;
import dev.mnode.node.MemoryDraft;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeModule;
import dev.mnode.node.PassphraseSource;
import dev.mnode.node.ProgressListener;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryId;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.rocks.RocksStoreModule;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The in-process benchmarks, on real RocksDB stores in a scratch directory: durable writes, import,
 * point reads, listing and size on disk. Uses {@link MemoryService} as apps do, and {@link
 * MemoryStore} only for what the service does not offer (compaction) or to show the service's own
 * share of a read.
 */
final class StoreBenchmarks {
  static final String SERVICE = "MemoryService";
  static final String STORE = "MemoryStore";
  static final String RAW = "RocksDB only";

  /** Unmeasured writes before each write benchmark (class loading, JIT). */
  private static final int WRITE_WARMUP = 100;

  private final Plan plan;
  private final Clock clock = Clock.systemUTC();

  StoreBenchmarks(Plan plan) {
    this.plan = plan;
  }

  /**
   * Durable writes with one and with four writers: {@code remember} on a new home in {@code dir},
   * then a synced put on a bare RocksDB for comparison.
   */
  List<WriteResult> writes(Path dir) throws Exception {
    Corpus corpus = new Corpus(Corpus.SEED);
    List<MemoryDraft> drafts = new ArrayList<>();
    for (int i = 0; i < WRITE_WARMUP + 2 * plan.maxWrites(); i++) {
      drafts.add(corpus.next().draft());
    }
    List<WriteResult> out = new ArrayList<>();
    try (MemoryService svc =
        NodeModule.init(new Home(dir.resolve("writes-home")), null, Argon2Params.DEFAULT, clock)) {
      for (int i = 0; i < WRITE_WARMUP; i++) {
        svc.remember(drafts.get(i));
      }
      int next = WRITE_WARMUP;
      for (int writers : new int[] {1, 4}) {
        int base = next;
        out.add(
            WriteLoad.run(
                "remember (synced WAL)",
                SERVICE,
                writers,
                plan.maxWrites(),
                plan.maxWriteTime(),
                seq -> svc.remember(drafts.get(base + seq))));
        next += plan.maxWrites();
      }
    }
    try (RawRocks raw = new RawRocks(dir.resolve("raw-rocks"))) {
      for (int i = 0; i < WRITE_WARMUP; i++) {
        raw.put(-1 - i);
      }
      for (int writers : new int[] {1, 4}) {
        raw.takeWalSyncs();
        WriteResult r =
            WriteLoad.run(
                "put " + RawRocks.VALUE_BYTES + " B (synced WAL)",
                RAW,
                writers,
                plan.maxWrites(),
                plan.maxWriteTime(),
                raw::put);
        out.add(r.withWalSyncs(raw.takeWalSyncs()));
      }
    }
    return out;
  }

  /**
   * The result of an import and the store's size right after it.
   *
   * @param result the import
   * @param disk size on disk with the service still open
   */
  record Imported(ImportResult result, DiskResult disk) {}

  /** Creates {@code home} and imports the corpus's first {@link Plan#memories()} into it. */
  Imported importCorpus(Home home) throws Exception {
    byte[] input = new Corpus(Corpus.SEED).jsonLines(plan.memories());
    try (MemoryService svc = NodeModule.init(home, null, Argon2Params.DEFAULT, clock)) {
      long t0 = System.nanoTime();
      ImportSummary summary =
          svc.importJsonLines(new ByteArrayInputStream(input), input.length, ProgressListener.NONE);
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (summary.imported() != plan.memories()) {
        throw new IllegalStateException(
            "imported " + summary.imported() + " of " + plan.memories());
      }
      ImportResult result =
          new ImportResult(
              SERVICE,
              summary.imported(),
              input.length,
              Fmt.round(seconds, 3),
              Fmt.round(summary.imported() / seconds, 0));
      DiskResult disk =
          DiskResult.of(
              "after import",
              SERVICE + ".status()",
              summary.imported(),
              svc.status().diskBytes(),
              home.storeDir());
      return new Imported(result, disk);
    }
  }

  /**
   * Reads on the imported {@code home}, reopened as a new process would find it: the full listing,
   * then random gets through the service and through the store.
   */
  List<ReadResult> reads(Home home) throws Exception {
    List<ReadResult> out = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    try (MemoryService svc = NodeModule.open(home, PassphraseSource.NONE, clock)) {
      out.add(listAll(svc, ids));
      out.add(
          ReadLoad.run(
              "get random id",
              SERVICE,
              ids.size(),
              plan.getWarmup(),
              plan.gets(),
              plan.maxGetTime(),
              i -> svc.get(ids.get(i))));
    }
    List<MemoryId> memoryIds = ids.stream().map(MemoryId::parse).toList();
    try (MemoryStore store = openStore(home)) {
      out.add(
          ReadLoad.run(
              "get random id",
              STORE,
              memoryIds.size(),
              plan.getWarmup(),
              plan.gets(),
              plan.maxGetTime(),
              i -> store.get(memoryIds.get(i)).orElseThrow()));
    }
    return out;
  }

  /**
   * Times listing every memory and adds their ids to {@code ids}. The memories themselves become
   * garbage on return, so that they do not survive into the timed gets as live heap.
   */
  private ReadResult listAll(MemoryService svc, List<String> ids) throws Exception {
    long t0 = System.nanoTime();
    List<Memory> all = svc.list(ListQuery.all(plan.memories()));
    double seconds = (System.nanoTime() - t0) / 1e9;
    all.forEach(m -> ids.add(m.id().toString()));
    return new ReadResult(
        "list all, newest first",
        SERVICE,
        all.size(),
        all.size(),
        Fmt.round(seconds, 3),
        Fmt.round(all.size() / seconds, 0),
        null,
        false);
  }

  /** Compacts the store of {@code home} and returns its size afterwards. */
  DiskResult compact(Home home) throws Exception {
    try (MemoryStore store = openStore(home)) {
      store.compact();
      long memories = store.counts().values().stream().mapToLong(Long::longValue).sum();
      return DiskResult.of(
          "after compaction", STORE + ".compact()", memories, store.diskBytes(), home.storeDir());
    }
  }

  private static MemoryStore openStore(Home home) throws Exception {
    return RocksStoreModule.open(home.storeDir(), KeyFile.open(home.keyFile(), null));
  }
}
