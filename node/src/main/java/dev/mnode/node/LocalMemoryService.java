package dev.mnode.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnode.crypto.IdentityKey;
import dev.mnode.crypto.KeyFile;
import dev.mnode.crypto.KeyFileException;
import dev.mnode.index.Duplicates;
import dev.mnode.index.Embedder;
import dev.mnode.index.Filter;
import dev.mnode.index.Fusion;
import dev.mnode.index.IndexException;
import dev.mnode.index.IndexedMemory;
import dev.mnode.index.RecallIndex;
import dev.mnode.node.classify.ClassMetadata;
import dev.mnode.node.classify.Classifier;
import dev.mnode.node.guard.Finding;
import dev.mnode.node.guard.GuardModule;
import dev.mnode.node.guard.Redaction;
import dev.mnode.node.guard.RedactionPolicy;
import dev.mnode.node.guard.RedactionType;
import dev.mnode.node.guard.Redactor;
import dev.mnode.node.sync.Replica;
import dev.mnode.node.sync.StateDigests;
import dev.mnode.node.sync.SyncException;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@link MemoryService} over a {@link MemoryStore} opened in this process. Validates every request
 * before touching the store. Thread-safe (the store serialises writes).
 */
public final class LocalMemoryService implements MemoryService {
  /** Memories per durable batch during import. */
  static final int IMPORT_BATCH = 2_000;

  private final Home home;
  private final MemoryStore store;
  private final IdentityKey device;
  private final Clock clock;
  private final Retrieval retrieval;
  /** Proposes a class for a memory written without one. */
  private final Classification classification;
  /** What to do with secrets and personal data found in a memory, per class. */
  private final RedactionPolicy redaction;
  /** Made on first use: loading phone metadata costs a command that never writes text. */
  private @Nullable Redactor redactor;
  /** How this device used each memory (recall and get), for ranking and archiving; never synced. */
  private final dev.mnode.node.aging.UseLog uses;
  /** Read from config.json on first need. */
  private dev.mnode.node.aging.@Nullable AgingSettings aging;
  /** Metadata key recording what redaction replaced: "type:count,...", never a value. */
  static final String REDACTED = "redacted";

  LocalMemoryService(
      Home home, MemoryStore store, IdentityKey device, Clock clock, Embedder embedder, Consumer<String> warn,
      RedactionPolicy redaction) {
    this.redaction = redaction;
    this.home = home;
    this.store = store;
    this.device = device;
    this.clock = clock;
    this.retrieval = new Retrieval(home.dir(), store, embedder, warn);
    this.classification = new Classification(store, retrieval, embedder, Classifier.Settings.DEFAULT);
    this.uses = new dev.mnode.node.aging.UseLog(home.dir(), store, clock, warn);
  }

  /** The aging settings of config.json, read once. */
  synchronized dev.mnode.node.aging.AgingSettings aging() throws NodeException {
    if (aging == null) {
      aging = dev.mnode.node.aging.AgingSettings.load(home.dir());
    }
    return aging;
  }

  /**
   * Plans compaction ({@link dev.mnode.node.aging.Compactor}) and, unless {@code dryRun}, carries
   * it out, summarizing only through an endpoint the user configured.
   */
  dev.mnode.node.aging.CompactReport compact(boolean dryRun, ProgressListener progress) throws NodeException {
    dev.mnode.node.aging.AgingSettings settings = aging();
    dev.mnode.node.aging.Compactor c = new dev.mnode.node.aging.Compactor(store, uses, settings, clock);
    RecallIndex index = retrieval.index(progress, false);
    dev.mnode.node.aging.CompactReport plan = c.plan(ids -> {
      try {
        return index.vectors(ids);
      } catch (IndexException e) {
        throw new NodeException("cannot embed memories: " + e.getMessage(), e);
      }
    }, progress);
    if (dryRun) {
      return plan;
    }
    dev.mnode.node.aging.CompactReport done = c.apply(plan, this, settings.summarizer(System.getenv()).orElse(null), progress);
    return done.withSealed(finalizeForgetting(progress, false));
  }

  /**
   * Makes every forget so far final on this device. Sync reads the change log first (so a forget
   * becomes a sync change before its entry goes); each class with a forgotten memory is re-sealed
   * under a new epoch and the bundles and keys that held it are dropped ({@link
   * Replica#compactForgotten}); the index snapshot is written again and the change log pruned; the
   * home is re-keyed at rest ({@link #rekeyAtRest}: fresh keys for the index, the use log, the master
   * key and the store, which ends by dropping deleted rows from every table file). What `mnode
   * compact` and the node's schedule run. Other devices drop their copies when the new snapshot
   * reaches them.
   *
   * @param onlyIfSealed leave the index and store files alone when no class was re-sealed (the
   *     schedule's runs, which find nothing to do most of the time)
   */
  public List<dev.mnode.node.aging.CompactReport.Sealed> finalizeForgetting(ProgressListener progress, boolean onlyIfSealed)
      throws NodeException {
    List<dev.mnode.node.aging.CompactReport.Sealed> sealed = new ArrayList<>();
    Replica r = replica();
    try {
      for (Replica.Compacted x : r.compactForgotten()) {
        sealed.add(new dev.mnode.node.aging.CompactReport.Sealed(x.className(), x.epoch(), x.parts(), x.droppedBundles(), x.retiredKeys()));
      }
    } catch (StoreException e) {
      throw new NodeException("cannot compact sync state: " + e.getMessage(), e);
    }
    if (onlyIfSealed && sealed.isEmpty()) {
      return sealed;
    }
    retrieval.persist(progress);
    boolean keyed;
    synchronized (this) {
      keyed = atRest != null;
    }
    if (keyed) {
      // Fresh keys for the index snapshot, the use log, the master key and every store value; the
      // store's re-key ends by compacting it, so copies of the files taken before stop opening.
      rekeyAtRest(progress);
    } else {
      try {
        store.compact();
      } catch (StoreException e) {
        throw new NodeException("cannot compact the store: " + e.getMessage(), e);
      }
    }
    return sealed;
  }

  /** The key file's kept protection, for {@link #rekeyAtRest}; set once by {@link NodeModule}. */
  private @Nullable AtRestKeys atRest;

  /** Keeps the key file's protection for re-keying; closed with this service. */
  synchronized void keepKeys(AtRestKeys keys) {
    this.atRest = keys;
  }

  /**
   * Re-keys this home's files at rest, so that copies of them taken before open with no key the
   * device holds afterwards: the recall index snapshot and the use log are sealed again under
   * fresh keys (their old keys, store secrets, are replaced), then the master key is rotated with
   * the store re-keyed to it ({@link AtRestKeys#rotate}, {@link MemoryStore#rekey}), which also
   * seals those secrets again and compacts. Call it after forgotten rows and sync state are
   * dropped (the end of compaction). Writes wait for each batch; reads go on.
   *
   * @throws NodeException if a step fails; what was done stays done, and the home opens
   */
  public void rekeyAtRest(ProgressListener progress) throws NodeException {
    AtRestKeys keys;
    synchronized (this) {
      keys = atRest;
    }
    if (keys == null) {
      throw new NodeException("this home was opened without its key file; reopen it to re-key");
    }
    retrieval.rekey(progress);
    try {
      uses.rekey();
    } catch (StoreException e) {
      throw new NodeException("cannot replace the use log's key: " + e.getMessage(), e);
    }
    keys.rotate(store, progress);
  }

  @Override
  public Remembered remember(MemoryDraft d, boolean allowDuplicate) throws NodeException {
    return remember(d, allowDuplicate, null);
  }

  @Override
  public Remembered remember(MemoryDraft d, boolean allowDuplicate, @Nullable Collection<String> writable)
      throws NodeException {
    Instant now = clock.instant();
    Memory m =
        valid(
            () ->
                Memory.builder(MemoryId.generate(clock), d.text(), now)
                    .memoryClass(memoryClass(d.memoryClass() == null ? "other" : d.memoryClass()))
                    .tags(d.tags())
                    .importance(d.importance() == null ? Memory.DEFAULT_IMPORTANCE : d.importance())
                    .source(d.source() == null ? "" : d.source())
                    .pinned(d.pinned())
                    .metadata(d.metadata())
                    .links(ids(d.links()))
                    .build());
    requireKnownClass(m.memoryClass());
    Classified proposal = null;
    if (d.memoryClass() == null) {
      proposal = classify(m, writable);
      m = proposal.memory();
    }
    Redacted r = redact(m);
    m = r.memory();
    if (!allowDuplicate) {
      Optional<IndexedMemory> same = duplicateOf(retrieval.index(ProgressListener.NONE, false), m);
      if (same.isPresent()) {
        Optional<Memory> existing = lookup(MemoryId.parse(same.get().id()));
        if (existing.isPresent()) {
          return new Remembered(existing.get(), true, r.findings());
        }
      }
    }
    Memory saved = save(m);
    if (proposal != null && r.findings().isEmpty()) {
      retrieval.offer(saved, proposal.outcome().vector()); // the text was embedded once, for both
    }
    return new Remembered(saved, false, r.findings());
  }

  /** A memory with the class the classifier chose, and how it chose. */
  private record Classified(Memory memory, Classification.Outcome outcome) {}

  /**
   * Gives {@code m}, written without a class, the class proposed among those {@code writable}
   * (every class when null), recording provenance and confidence in its metadata; an unsure
   * proposal gives {@code other} (when writable) and flags the memory for review.
   */
  private Classified classify(Memory m, @Nullable Collection<String> writable) throws NodeException {
    List<String> candidates = new ArrayList<>();
    for (String c : classes()) {
      if (writable == null || writable.contains(c)) {
        candidates.add(c);
      }
    }
    if (candidates.isEmpty()) {
      throw new InvalidInputException("no class may be written here: name one with \"class\"");
    }
    Classification.Outcome o = classification.propose(m.text(), candidates);
    String chosen = o.sure() || !candidates.contains(MemoryClass.OTHER.name())
        ? o.proposal().memoryClass()
        : MemoryClass.OTHER.name();
    Map<String, String> meta = new TreeMap<>(m.metadata());
    meta.putAll(ClassMetadata.of(o.proposal(), o.sure()));
    Memory out = valid(() -> m.toBuilder().memoryClass(memoryClass(chosen)).metadata(meta).build());
    return new Classified(out, o);
  }

  private static Optional<IndexedMemory> duplicateOf(RecallIndex index, Memory m) throws NodeException {
    try {
      return index.duplicateOf(m.text(), m.memoryClass().name());
    } catch (IndexException e) {
      throw new NodeException("cannot check for duplicates: " + e.getMessage(), e);
    }
  }

  private Optional<Memory> lookup(MemoryId id) throws NodeException {
    try {
      return store.get(id);
    } catch (StoreException e) {
      throw new NodeException(e.getMessage(), e);
    }
  }

  @Override
  public List<RecallHit> recall(RecallQuery q, ProgressListener progress) throws NodeException {
    if (q.query().isBlank()) {
      throw new InvalidInputException("the query is empty");
    }
    if (q.query().length() > RecallQuery.MAX_QUERY_CHARS) {
      throw new InvalidInputException(
          "the query has " + q.query().length() + " characters; at most " + RecallQuery.MAX_QUERY_CHARS);
    }
    if (q.k() < 1 || q.k() > RecallQuery.MAX_K) {
      throw new InvalidInputException("k must be 1.." + RecallQuery.MAX_K + ", got " + q.k());
    }
    for (String c : q.classes()) {
      requireKnownClass(valid(() -> new MemoryClass(c)));
    }
    if (q.since() != null && q.until() != null && !q.since().isBefore(q.until())) {
      throw new InvalidInputException("--since must be before --until");
    }
    Filter filter =
        new Filter(
            Set.copyOf(q.classes()),
            Set.copyOf(q.tags()),
            Optional.ofNullable(q.source()),
            Optional.ofNullable(q.since()),
            Optional.ofNullable(q.until()),
            q.archived());
    Fusion.Aging weighing = new Fusion.Aging(aging().halfLife(), uses::use);
    RecallIndex index = retrieval.index(progress, true);
    List<RecallHit> out = new ArrayList<>();
    try {
      for (Fusion.Ranked r : index.recall(q.query(), q.k(), filter, clock.instant(), weighing)) {
        Optional<Memory> m = lookup(MemoryId.parse(r.id()));
        // The index follows the store; a memory gone since it was searched is simply left out.
        m.ifPresent(
            mem -> out.add(new RecallHit(mem, r.score(), r.fused(), r.vectorRank(), r.vectorScore(), r.textRank(), r.textScore(), r.recency(), r.importance())));
      }
    } catch (IndexException e) {
      throw new NodeException("recall failed: " + e.getMessage(), e);
    }
    uses.used(out.stream().map(h -> h.memory().id().toString()).toList());
    return out;
  }

  @Override
  public long reindex(ProgressListener progress) throws NodeException {
    return retrieval.rebuild(progress);
  }

  @Override
  public Memory get(String id) throws NodeException {
    Memory m = read(id);
    uses.used(List.of(m.id().toString())); // a read by its user or an app is a use; the node's own reads are not
    return m;
  }

  private Memory read(String id) throws NodeException {
    MemoryId mid = valid(() -> MemoryId.parse(id));
    try {
      return store.get(mid).orElseThrow(() -> new NotFoundException(id));
    } catch (StoreException e) {
      throw new NodeException(e.getMessage(), e);
    }
  }

  @Override
  public List<Memory> list(ListQuery q) throws NodeException {
    List<MemoryClass> classes = new ArrayList<>();
    for (String c : q.classes()) {
      MemoryClass mc = valid(() -> new MemoryClass(c));
      requireKnownClass(mc);
      if (!classes.contains(mc)) {
        classes.add(mc); // a class named twice is scanned once
      }
    }
    List<Memory> out = new ArrayList<>();
    MemoryStore.Visitor visitor =
        m -> {
          if ((q.archived() || !dev.mnode.node.aging.Compactor.isArchived(m))
              && (q.tag() == null || m.tags().contains(q.tag()))
              && (q.source() == null || m.source().equals(q.source()))
              && (q.since() == null || !m.created().isBefore(q.since()))
              && (q.until() == null || m.created().isBefore(q.until()))) {
            out.add(m);
          }
          return out.size() < q.limit() || classes.size() > 1;
        };
    try {
      if (classes.isEmpty()) {
        store.scan(Optional.empty(), visitor);
      } else {
        for (MemoryClass c : classes) {
          store.scan(Optional.of(c), visitor);
        }
      }
    } catch (StoreException e) {
      throw new NodeException(e.getMessage(), e);
    }
    if (classes.size() > 1) {
      out.sort((a, b) -> b.id().compareTo(a.id()));
    }
    return out.size() > q.limit() ? List.copyOf(out.subList(0, q.limit())) : out;
  }

  @Override
  public Memory update(String id, MemoryPatch p) throws NodeException {
    return mutating(() -> update0(id, p));
  }

  private Memory update0(String id, MemoryPatch p) throws NodeException {
    if (p.isEmpty()) {
      throw new InvalidInputException("nothing to update: give at least one field to change");
    }
    Memory old = read(id);
    Instant now = clock.instant();
    Memory m =
        valid(
            () -> {
              Memory.Builder b = old.toBuilder();
              if (p.text() != null) {
                b.text(p.text());
              }
              if (p.memoryClass() != null) {
                b.memoryClass(memoryClass(p.memoryClass()));
              }
              Map<String, String> changes = new TreeMap<>(p.metadata());
              if (p.memoryClass() != null && !changes.containsKey(ClassMetadata.SOURCE)) {
                // A class the writer names is a person's choice: the classifier's record goes.
                ClassMetadata.chosen(false).forEach(changes::putIfAbsent);
              }
              if (p.tags() != null) {
                b.tags(p.tags());
              }
              if (p.importance() != null) {
                b.importance(p.importance());
              }
              if (p.source() != null) {
                b.source(p.source());
              }
              if (p.pinned() != null) {
                b.pinned(p.pinned());
              }
              if (!changes.isEmpty()) {
                Map<String, String> meta = new TreeMap<>(old.metadata());
                changes.forEach((k, v) -> {
                  if (v.isEmpty()) {
                    meta.remove(k);
                  } else {
                    meta.put(k, v);
                  }
                });
                b.metadata(meta);
              }
              if (p.links() != null) {
                b.links(ids(p.links()));
              }
              return b.updated(now.isBefore(old.created()) ? old.created() : now).build();
            });
    return save(redact(m).memory());
  }

  @Override
  public void forget(String id) throws NodeException {
    MemoryId mid = valid(() -> MemoryId.parse(id));
    mutating(() -> {
      try {
        if (!store.delete(mid)) {
          throw new NotFoundException(id);
        }
        retrieval.written(List.of(), List.of(mid));
        classification.removed(mid);
        return null;
      } catch (StoreException e) {
        throw new NodeException(e.getMessage(), e);
      }
    });
  }

  @Override
  public ImportSummary importJsonLines(
      InputStream in, long totalBytes, ProgressListener progress, boolean allowDuplicates) throws NodeException {
    long startNanos = System.nanoTime();
    Set<MemoryClass> known = new HashSet<>(store.classes());
    // Phase 1: read and validate everything (the first bad line fails the import untouched), then
    // classify lines without a class and redact every line, as remember does.
    ImportGuard.Prepared prepared = ImportGuard.prepare(
        in, totalBytes, known, n -> parseLine(n.node(), n.number(), clock.instant()),
        classification, classes(), m -> redact(m).memory(), progress);
    List<Memory> parsed = prepared.memories();
    ImportGuard.Classified classified = prepared.classified();
    // Phase 2: write in durable batches, skipping ids already present or repeated.
    SortedMap<String, Long> skipped = new TreeMap<>();
    Set<MemoryId> seen = new HashSet<>();
    List<Memory> batch = new ArrayList<>(IMPORT_BATCH);
    RecallIndex index = allowDuplicates ? null : retrieval.index(progress, false);
    Set<String> batchFacts = new HashSet<>();
    long imported = 0;
    long done = 0;
    try {
      for (Memory m : parsed) {
        done++;
        if (!seen.add(m.id())) {
          skipped.merge("id repeated in the file", 1L, Long::sum);
        } else if (store.contains(m.id())) {
          skipped.merge("id already in the store", 1L, Long::sum);
        } else if (index != null
            && (!batchFacts.add(m.memoryClass().name() + "\n" + Duplicates.normalize(m.text()))
                || duplicateOf(index, m).isPresent())) {
          skipped.merge("same fact already stored", 1L, Long::sum);
        } else {
          batch.add(m);
        }
        if (batch.size() == IMPORT_BATCH) {
          writeImported(batch, classified.vectors());
          imported += batch.size();
          batch.clear();
          batchFacts.clear();
          progress.progress("writing", done, parsed.size());
        }
      }
      writeImported(batch, classified.vectors());
      imported += batch.size();
      progress.progress("writing", done, parsed.size());
      if (imported >= IMPORT_BATCH) {
        store.flush(); // so the next open does not replay the whole import from the log
      }
    } catch (StoreException e) {
      throw new NodeException(
          "import stopped after " + imported + " memories: " + e.getMessage(), e);
    }
    long skippedTotal = skipped.values().stream().mapToLong(Long::longValue).sum();
    return new ImportSummary(imported, skippedTotal, skipped, (System.nanoTime() - startNanos) / 1e9);
  }

  /** Writes one import batch, and indexes it when the index is open (duplicate checks need it). */
  private void writeImported(List<Memory> batch, Map<String, float[]> vectors) throws NodeException {
    mutating(() -> {
      try {
        store.putAll(batch);
      } catch (StoreException e) {
        throw new NodeException(e.getMessage(), e);
      }
      retrieval.written(batch, List.of());
      for (Memory m : batch) {
        float[] v = vectors.get(m.id().toString());
        if (v != null) {
          retrieval.offer(m, v); // embedded once, to classify it; kept when the text was not redacted
        }
      }
      classification.written(batch);
      return null;
    });
  }

  private Memory parseLine(JsonNode node, long n, Instant now) throws InvalidInputException {
    try {
      return MemoryJson.fromJson(node, MemoryId.generate(clock), now);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("line " + n + ": " + e.getMessage());
    }
  }

  @Override
  public long exportJsonLines(OutputStream out, ProgressListener progress) throws NodeException {
    long total = store.counts().values().stream().mapToLong(Long::longValue).sum();
    long[] n = {0};
    IOException[] failure = {null};
    BufferedOutputStream buffered = new BufferedOutputStream(out, 64 * 1024);
    try {
      store.scan(
          Optional.empty(),
          m -> {
            try {
              buffered.write(MemoryJson.MAPPER.writeValueAsBytes(MemoryJson.toJson(m)));
              buffered.write('\n');
            } catch (IOException e) {
              failure[0] = e;
              return false;
            }
            if ((++n[0] & 1023) == 0) {
              progress.progress("exporting", n[0], total);
            }
            return true;
          });
      if (failure[0] != null) {
        throw failure[0];
      }
      buffered.flush();
    } catch (StoreException e) {
      throw new NodeException(e.getMessage(), e);
    } catch (IOException e) {
      throw new NodeException("cannot write export: " + e.getMessage(), e);
    }
    progress.progress("exporting", n[0], total);
    return n[0];
  }

  @Override
  public List<String> classes() {
    return store.classes().stream().map(MemoryClass::name).toList();
  }

  @Override
  public boolean addClass(String name) throws NodeException {
    MemoryClass c = valid(() -> new MemoryClass(name));
    try {
      return store.addClass(c);
    } catch (StoreException e) {
      throw new NodeException(e.getMessage(), e);
    }
  }

  @Override
  public NodeStatus status() throws NodeException {
    SortedMap<String, Long> classes = new TreeMap<>();
    store.counts().forEach((c, n) -> classes.put(c.name(), n));
    long count = classes.values().stream().mapToLong(Long::longValue).sum();
    try {
      SortedMap<String, String> hex = StateDigests.cached(store, classes.keySet());
      return new NodeStatus(
          home.dir(),
          store.info().vaultId(),
          device.key().hex(),
          store.info().schema(),
          store.info().created(),
          count,
          classes,
          store.diskBytes(),
          KeyFile.isProtected(home.keyFile()),
          StateDigests.combine(hex),
          hex,
          vault().peers(),
          relayStatus.get());
    } catch (StoreException | KeyFileException e) {
      throw new NodeException(e.getMessage(), e);
    }
  }

  /** The home this service has open. */
  public Home home() {
    return home;
  }

  /** The store, for tests in this package and for backups. */
  MemoryStore store() {
    return store;
  }

  /** The vault replica over this home's store, opened on first use; closed with the service. */
  private @Nullable Replica replica;

  /**
   * Returns the home's vault replica, opening it on first use (which replays its kept bundles), with
   * every local write so far made into sync changes ({@link Replica#ingest}).
   */
  public synchronized Replica replica() throws NodeException {
    try {
      if (replica == null) {
        replica = VaultReplica.open(store, clock);
      }
      replica.ingest();
      return replica;
    } catch (StoreException | SyncException e) {
      throw new NodeException("cannot open the vault replica: " + e.getMessage(), e);
    }
  }

  /** Listeners told after each local write, once the replica (if open) has made it a sync change. */
  private final List<Runnable> writeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Calls {@code listener} after every local write from now on (on the writing thread; keep it short). */
  public void onWrite(Runnable listener) {
    writeListeners.add(listener);
  }

  private interface Mutation<T> {
    T run() throws NodeException;
  }

  /**
   * Runs a write to the store. With the replica open, the write (with any read it modifies) and its
   * ingestion into sync changes hold the replica's lock, so a change received from a peer cannot
   * land between them and be overwritten, nor a local change be lost.
   */
  private <T> T mutating(Mutation<T> body) throws NodeException {
    Replica r;
    synchronized (this) {
      r = replica;
    }
    T out;
    if (r == null) {
      out = body.run();
    } else {
      synchronized (r) {
        out = body.run();
        try {
          r.ingest();
        } catch (StoreException e) {
          throw new NodeException("cannot make the write a sync change: " + e.getMessage(), e);
        }
      }
    }
    writeListeners.forEach(Runnable::run);
    return out;
  }

  private dev.mnode.node.peer.@Nullable VaultAdmin vaultAdmin;

  /** What {@link #status} says of the relays: nothing until a running node's relay loop answers. */
  private volatile java.util.function.Supplier<List<dev.mnode.node.relay.RelayStatus>> relayStatus = List::of;

  /** Answers the relays part of {@link #status} with {@code statuses} from now on (the node's relay loop). */
  public void useRelayStatus(java.util.function.Supplier<List<dev.mnode.node.relay.RelayStatus>> statuses) {
    this.relayStatus = statuses;
  }

  /** Answers {@link #vault} with {@code admin} from now on (the node, with its peers and pairing). */
  public synchronized void useVaultAdmin(dev.mnode.node.peer.VaultAdmin admin) {
    this.vaultAdmin = admin;
  }

  @Override
  public synchronized dev.mnode.node.peer.VaultAdmin vault() {
    if (vaultAdmin == null) {
      vaultAdmin = new dev.mnode.node.peer.LocalVaultAdmin(this, null, null);
    }
    return vaultAdmin;
  }

  /**
   * Checks that this home may join another vault: it holds no memory and its vault no other device.
   *
   * @throws InvalidInputException saying which, and to join with a new home instead
   */
  public synchronized void requireJoinable() throws NodeException {
    long stored = store.counts().values().stream().mapToLong(Long::longValue).sum();
    if (stored > 0) {
      throw new InvalidInputException(
          "this home already holds " + stored + " memories of its own vault; join another vault with a new --home");
    }
    if (replica != null && replica.devices().size() > 1) {
      throw new InvalidInputException("this device is already in a vault with other devices; join another vault with a new --home");
    }
  }

  /**
   * Moves this home, which must hold no memory and no other device, into the vault a member
   * welcomed it to after pairing: the store adopts the vault id and secret, the membership starts
   * from the member's operations, and the replica and recall index start again. Returns the new
   * replica.
   *
   * @throws InvalidInputException if the home holds memories or other devices of its own vault
   */
  public synchronized Replica adoptVault(byte[] vaultId, dev.mnode.crypto.SecretBytes vaultSecret, List<byte[]> operations)
      throws NodeException {
    requireJoinable();
    try {
      if (replica != null) {
        synchronized (replica) {
          replica.close();
        }
        replica = null;
      }
      retrieval.discard();
      store.adoptVault(vaultId);
      store.putSecret(DeviceSecrets.VAULT, vaultSecret);
      VaultReplica.join(store, clock, operations);
    } catch (StoreException | SyncException e) {
      throw new NodeException("cannot join the vault: " + e.getMessage(), e);
    }
    return replica();
  }

  /** The vault secret, which a member hands a device it pairs; the caller closes it. */
  public dev.mnode.crypto.SecretBytes vaultSecretForPairing() throws NodeException {
    try {
      return store.secret(DeviceSecrets.VAULT).orElseThrow(() -> new NodeException("the vault secret is missing"));
    } catch (StoreException e) {
      throw new NodeException(e.getMessage(), e);
    }
  }

  /** The device's identity seed (its Ed25519 secret, the peer id's key); the caller closes it. */
  public dev.mnode.crypto.SecretBytes deviceSeed() throws NodeException {
    try {
      return store.secret(DeviceSecrets.IDENTITY).orElseThrow(() -> new NodeException("the device identity is missing"));
    } catch (StoreException e) {
      throw new NodeException(e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      synchronized (this) {
        if (replica != null) {
          replica.close();
          replica = null;
        }
      }
      uses.close();
      retrieval.close();
    } finally {
      store.close();
      synchronized (this) {
        if (atRest != null) {
          atRest.close();
        }
      }
    }
  }

  /** A memory as redaction left it, and what it replaced. */
  record Redacted(Memory memory, List<Finding> findings) {}

  /**
   * Replaces secrets and personal data in the text and metadata values of {@code m} by typed
   * placeholders, as the policy says for its class, and records in its metadata what was
   * replaced (types and counts). Text that already went through it has nothing left to find.
   *
   * @throws InvalidInputException if the policy refuses something found (nothing is stored)
   */
  Redacted redact(Memory m) throws InvalidInputException {
    Redactor rd;
    synchronized (this) {
      if (redactor == null) {
        redactor = GuardModule.redactor();
      }
      rd = redactor;
    }
    String cls = m.memoryClass().name();
    Redaction text = rd.redact(m.text(), cls, redaction);
    Map<String, Integer> counts = new TreeMap<>();
    text.findings().forEach(f -> counts.merge(f.type().id(), f.count(), Integer::sum));
    Map<String, String> meta = new TreeMap<>();
    for (Map.Entry<String, String> e : m.metadata().entrySet()) {
      if (e.getKey().equals(REDACTED)) {
        meta.put(e.getKey(), e.getValue());
        continue;
      }
      Redaction v = rd.redact(e.getValue(), cls, redaction);
      v.findings().forEach(f -> counts.merge(f.type().id(), f.count(), Integer::sum));
      meta.put(e.getKey(), v.text());
    }
    if (counts.isEmpty()) {
      return new Redacted(m, List.of());
    }
    StringBuilder record = new StringBuilder();
    counts.forEach((t, n) -> record.append(record.length() == 0 ? "" : ",").append(t).append(':').append(n));
    meta.put(REDACTED, record.toString());
    List<Finding> findings = new ArrayList<>();
    for (RedactionType t : RedactionType.values()) {
      if (counts.containsKey(t.id())) {
        findings.add(new Finding(t, counts.get(t.id())));
      }
    }
    Memory out = valid(() -> m.toBuilder().text(text.text()).metadata(meta).build());
    return new Redacted(out, findings);
  }

  /** Writes a validated memory durably, once its class is known. */
  private Memory save(Memory m) throws NodeException {
    requireKnownClass(m.memoryClass());
    return mutating(() -> {
      try {
        store.put(m);
      } catch (StoreException e) {
        throw new NodeException(e.getMessage(), e);
      }
      retrieval.written(List.of(m), List.of());
      classification.written(List.of(m));
      return m;
    });
  }

  private void requireKnownClass(MemoryClass c) throws InvalidInputException {
    if (!store.classes().contains(c)) {
      throw new InvalidInputException(
          "unknown class \"" + c + "\" (known: " + String.join(", ", classes())
              + "; add one with: mnode classes add " + c + ")");
    }
  }

  private static MemoryClass memoryClass(String name) {
    return new MemoryClass(name);
  }

  private static List<MemoryId> ids(List<String> ids) {
    return ids.stream().map(MemoryId::parse).toList();
  }

  /** Runs a constructor chain and turns its validation failure into an input error. */
  private static <T> T valid(Supplier<T> build) throws InvalidInputException {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage());
    }
  }
}
