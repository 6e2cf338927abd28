package dev.mnode.index;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything recall searches, kept in step with the store: the facts of each memory, its words
 * (BM25, {@link TextIndex}) and its embedding (HNSW, {@link VectorIndex}); with the number of the
 * store change it reflects. Written as one snapshot, which the node seals, and loaded at start.
 *
 * <p>Thread-safe: writes are serialised, searches run concurrently with them.
 */
public final class RecallIndex implements AutoCloseable {
  /** Texts embedded per model call while indexing. */
  static final int EMBED_BATCH = 64;
  /** A filter matching at most this many memories is searched exactly instead of in the graph. */
  static final int EXACT_FILTER_LIMIT = 20_000;
  /** Candidates taken from each of the two lists before fusion. */
  static final int MIN_DEPTH = 100;

  private static final int MAGIC = 0x4d4e4958; // "MNIX"
  /** Version 2 added the archived flag; version 1 snapshots read with every memory not archived. */
  private static final int VERSION = 2;

  private final Embedder embedder;
  private final TextIndex text;
  private final VectorIndex vectors;
  private final Map<String, IndexedMemory> memories;
  /** Memories whose vector is not computed yet. */
  private final java.util.Set<String> pending = ConcurrentHashMap.newKeySet();
  private volatile long changeSeq;
  /** How many indexed memories are archived (so that leaving them out costs nothing when none are). */
  private final java.util.concurrent.atomic.AtomicInteger archived = new java.util.concurrent.atomic.AtomicInteger();

  private RecallIndex(
      Embedder embedder, TextIndex text, VectorIndex vectors, Map<String, IndexedMemory> memories, long changeSeq) {
    this.embedder = embedder;
    this.text = text;
    this.vectors = vectors;
    this.memories = memories;
    this.changeSeq = changeSeq;
    for (IndexedMemory m : memories.values()) {
      if (m.archived()) {
        archived.incrementAndGet();
      }
    }
    for (String id : memories.keySet()) {
      if (vectors.get(id).isEmpty()) {
        pending.add(id);
      }
    }
  }

  /** An empty index whose vectors come from {@code embedder}. */
  public static RecallIndex empty(Embedder embedder, int capacity) {
    return new RecallIndex(
        embedder, new TextIndex(), new VectorIndex(embedder.dimensions(), capacity), new ConcurrentHashMap<>(), 0);
  }

  /** Receives progress while memories are embedded. */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (done, total) -> {};

    void update(long done, long total);
  }

  /**
   * Adds or replaces {@code puts} and removes {@code removals}. Words and facts are searchable at
   * once; a memory whose text is new or changed waits for its vector until {@link #embedPending}
   * (which recall runs first), so that writing never has to load the model.
   */
  public synchronized void apply(Collection<IndexedMemory> puts, Collection<String> removals, Progress progress)
      throws IndexException {
    for (IndexedMemory m : puts) {
      IndexedMemory old = memories.get(m.id());
      if (old == null || !old.text().equals(m.text())) {
        vectors.remove(m.id());
        pending.add(m.id());
      }
    }
    text.putAll(puts);
    for (IndexedMemory m : puts) {
      IndexedMemory old = memories.put(m.id(), m);
      archived.addAndGet((m.archived() ? 1 : 0) - (old != null && old.archived() ? 1 : 0));
    }
    text.removeAll(removals);
    for (String id : removals) {
      IndexedMemory old = memories.remove(id);
      if (old != null && old.archived()) {
        archived.decrementAndGet();
      }
      vectors.remove(id);
      pending.remove(id);
    }
    progress.update(0, pending.size());
  }

  /** Number of memories waiting for their vector. */
  public int pendingVectors() {
    return pending.size();
  }

  /** Embeds every memory still waiting for its vector, in batches, reporting progress. */
  public synchronized void embedPending(Progress progress) throws IndexException {
    List<String> ids = new ArrayList<>(pending);
    ids.sort(null);
    long done = 0;
    progress.update(0, ids.size());
    for (int i = 0; i < ids.size(); i += EMBED_BATCH) {
      List<String> batch = ids.subList(i, Math.min(ids.size(), i + EMBED_BATCH));
      embed(batch);
      done += batch.size();
      progress.update(done, ids.size());
    }
  }

  private void embed(List<String> ids) throws IndexException {
    List<String> texts = new ArrayList<>(ids.size());
    for (String id : ids) {
      texts.add(memories.get(id).text());
    }
    List<float[]> vs = embedder.embed(texts);
    Map<String, float[]> batch = new java.util.LinkedHashMap<>();
    for (int j = 0; j < ids.size(); j++) {
      batch.put(ids.get(j), vs.get(j));
    }
    vectors.putAll(batch, done -> {});
    ids.forEach(pending::remove);
  }

  /**
   * Returns the vectors of those {@code ids} the index holds, embedding first the ones still
   * waiting for theirs (and keeping them, as {@link #embedPending} would).
   *
   * @throws IndexException if the model fails
   */
  public Map<String, float[]> vectors(Collection<String> ids) throws IndexException {
    List<String> waiting = ids.stream().filter(pending::contains).sorted().toList();
    if (!waiting.isEmpty()) {
      synchronized (this) {
        List<String> still = waiting.stream().filter(pending::contains).toList();
        for (int i = 0; i < still.size(); i += EMBED_BATCH) {
          embed(still.subList(i, Math.min(still.size(), i + EMBED_BATCH)));
        }
      }
    }
    Map<String, float[]> out = new java.util.HashMap<>();
    for (String id : ids) {
      vectors.get(id).ifPresent(v -> out.put(id, v));
    }
    return out;
  }

  /**
   * Takes {@code vector} as the embedding of memory {@code id} if that memory is waiting for its
   * vector and its text is {@code text}; otherwise does nothing. A caller that already embedded
   * the text with this index's model saves the index embedding it again.
   */
  public synchronized void offerVector(String id, String text, float[] vector) {
    IndexedMemory m = memories.get(id);
    if (m != null && pending.contains(id) && m.text().equals(text) && vector.length == embedder.dimensions()) {
      vectors.put(id, vector);
      pending.remove(id);
    }
  }

  /** The number of the store change this index reflects. */
  public long changeSeq() {
    return changeSeq;
  }

  public void setChangeSeq(long seq) {
    this.changeSeq = seq;
  }

  public int size() {
    return memories.size();
  }

  /** The model whose vectors this index holds. */
  public String modelId() {
    return embedder.modelId();
  }

  /** The indexed facts of memory {@code id}. */
  public Optional<IndexedMemory> get(String id) {
    return Optional.ofNullable(memories.get(id));
  }

  /**
   * Returns the best {@code k} memories for {@code query} that pass {@code filter}: fused vector
   * and word ranks, weighed by recency and importance, each with the parts of its score.
   */
  public List<Fusion.Ranked> recall(String query, int k, Filter filter, Instant now) throws IndexException {
    return recall(query, embedder.embedQueries(List.of(query)).get(0), k, filter, now);
  }

  /** As {@link #recall(String, int, Filter, Instant)}, with recency and use weighed as {@code aging} says. */
  public List<Fusion.Ranked> recall(String query, int k, Filter filter, Instant now, Fusion.Aging aging)
      throws IndexException {
    return recall(query, embedder.embedQueries(List.of(query)).get(0), k, filter, now, aging);
  }

  /** As {@link #recall(String, int, Filter, Instant)}, with the query's vector already computed. */
  public List<Fusion.Ranked> recall(String query, float[] queryVector, int k, Filter filter, Instant now)
      throws IndexException {
    return recall(query, queryVector, k, filter, now, Fusion.Aging.DEFAULT);
  }

  /** As {@link #recall(String, int, Filter, Instant, Fusion.Aging)}, with the query's vector already computed. */
  public List<Fusion.Ranked> recall(
      String query, float[] queryVector, int k, Filter filter, Instant now, Fusion.Aging aging) throws IndexException {
    if (!pending.isEmpty()) {
      embedPending(Progress.NONE);
    }
    int depth = Math.max(MIN_DEPTH, 2 * k);
    List<Hit> words = text.search(query, depth, filter);
    List<Hit> near;
    if (filter.isNone() || (filter.filtersNoFacts() && archived.get() == 0)) {
      near = vectors.nearest(queryVector, depth);
    } else if (countMatching(filter, EXACT_FILTER_LIMIT + 1) <= EXACT_FILTER_LIMIT) {
      near = vectors.exactNearest(queryVector, depth, id -> passes(id, filter));
    } else {
      // A broad filter: most graph candidates pass, so widen the search and filter after.
      near = new ArrayList<>();
      for (Hit h : vectors.nearest(queryVector, depth * 4)) {
        if (passes(h.id(), filter) && near.size() < depth) {
          near.add(h);
        }
      }
    }
    return Fusion.rank(
        near,
        words,
        id -> Optional.ofNullable(memories.get(id)).filter(filter::matches).map(IndexedMemory::facts),
        now,
        k,
        aging);
  }

  /**
   * Returns the memory of class {@code memoryClass} that states the same fact as {@code
   * candidate} ({@link Duplicates}), if there is one.
   */
  public Optional<IndexedMemory> duplicateOf(String candidate, String memoryClass) throws IndexException {
    Filter sameClass =
        new Filter(java.util.Set.of(memoryClass), java.util.Set.of(), Optional.empty(), Optional.empty(), Optional.empty(), true);
    String normalized = Duplicates.normalize(candidate);
    List<Hit> words = text.search(candidate, 10, sameClass);
    List<IndexedMemory> close = new ArrayList<>();
    for (Hit h : words) {
      IndexedMemory m = memories.get(h.id());
      if (m == null) {
        continue;
      }
      if (Duplicates.normalize(m.text()).equals(normalized)) {
        return Optional.of(m);
      }
      // Only a candidate that passes the cheap tests is worth loading the model for.
      if (Duplicates.closeInWords(candidate, m.text())) {
        close.add(m);
      }
    }
    if (close.isEmpty()) {
      return Optional.empty();
    }
    List<String> unembedded = close.stream().map(IndexedMemory::id).filter(pending::contains).toList();
    if (!unembedded.isEmpty()) {
      synchronized (this) {
        embed(unembedded.stream().filter(pending::contains).toList());
      }
    }
    float[] v = embedder.embed(List.of(candidate)).get(0);
    for (IndexedMemory m : close) {
      Optional<float[]> mv = vectors.get(m.id());
      if (mv.isPresent() && Vectors.dot(v, mv.get()) >= Duplicates.MIN_COSINE) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  private boolean passes(String id, Filter filter) {
    IndexedMemory m = memories.get(id);
    return m != null && filter.matches(m);
  }

  private int countMatching(Filter filter, int stopAt) {
    int n = 0;
    for (IndexedMemory m : memories.values()) {
      if (filter.matches(m) && ++n >= stopAt) {
        break;
      }
    }
    return n;
  }

  /**
   * Writes this index, for a snapshot that {@link #readFrom} loads. The caller seals the stream
   * (it holds every text): nothing of it may reach a disk in clear.
   */
  public synchronized void writeTo(OutputStream raw) throws IOException {
    writeTo(raw, VERSION);
  }

  /** Writes this index in snapshot format {@code version} (1 or the current one): tests read old formats. */
  synchronized void writeTo(OutputStream raw, int version) throws IOException {
    DataOutputStream out = new DataOutputStream(raw);
    out.writeInt(MAGIC);
    out.writeInt(version);
    out.writeUTF(embedder.modelId());
    out.writeInt(embedder.dimensions());
    out.writeLong(changeSeq);
    out.writeInt(memories.size());
    for (IndexedMemory m : memories.values()) {
      writeMemory(out, m, version);
    }
    text.writeTo(out);
    out.flush();
    vectors.writeTo(new NoClose(raw));
    out.flush();
  }

  /** Whether a snapshot failed to load because another model built it. */
  public static final class OtherModelException extends IOException {
    private static final long serialVersionUID = 1L;

    OtherModelException(String message) {
      super(message);
    }
  }

  /**
   * Loads a snapshot written by {@link #writeTo}, reading {@code in} to its end.
   *
   * @throws OtherModelException if it holds vectors of another model than {@code embedder}'s
   * @throws IOException if it is not a readable, consistent index
   */
  public static RecallIndex readFrom(InputStream in, Embedder embedder) throws IOException {
    return read(in, embedder);
  }

  private static RecallIndex read(InputStream raw, Embedder embedder) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    if (in.readInt() != MAGIC) {
      throw new Unreadable("not a recall index snapshot");
    }
    int version = in.readInt();
    if (version != VERSION && version != 1) {
      throw new Unreadable("recall index snapshot version " + version + " is not " + VERSION);
    }
    String model = in.readUTF();
    int dims = in.readInt();
    if (!model.equals(embedder.modelId()) || dims != embedder.dimensions()) {
      in.transferTo(OutputStream.nullOutputStream());
      throw new OtherModelException("index was built by model " + model + ", the node uses " + embedder.modelId());
    }
    long seq = in.readLong();
    int n = in.readInt();
    if (n < 0) {
      throw new Unreadable("recall index snapshot counts " + n + " memories");
    }
    Map<String, IndexedMemory> memories = new ConcurrentHashMap<>(Math.max(16, n * 4 / 3));
    for (int i = 0; i < n; i++) {
      IndexedMemory m = readMemory(in, version);
      memories.put(m.id(), m);
    }
    TextIndex text = TextIndex.readFrom(in);
    VectorIndex vectors;
    try {
      vectors = VectorIndex.readFrom(new java.io.FilterInputStream(in) {
        @Override
        public void close() {}
      }, dims);
    } catch (IOException e) {
      text.close();
      throw new Unreadable(e.getMessage());
    }
    if (text.size() != n || vectors.size() > n) {
      text.close();
      throw new Unreadable(
          "recall index snapshot is inconsistent: " + n + " memories, " + text.size() + " texts, " + vectors.size() + " vectors");
    }
    return new RecallIndex(embedder, text, vectors, memories, seq);
  }

  private static void writeMemory(DataOutputStream out, IndexedMemory m, int version) throws IOException {
    out.writeUTF(m.id());
    byte[] t = m.text().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(t.length);
    out.write(t);
    out.writeUTF(m.memoryClass());
    out.writeShort(m.tags().size());
    for (String tag : m.tags()) {
      out.writeUTF(tag);
    }
    out.writeUTF(m.source());
    out.writeLong(m.created().getEpochSecond());
    out.writeInt(m.created().getNano());
    out.writeDouble(m.importance());
    out.writeBoolean(m.pinned());
    if (version >= 2) {
      out.writeBoolean(m.archived());
    }
  }

  private static IndexedMemory readMemory(DataInputStream in, int version) throws IOException {
    String id = in.readUTF();
    int len = in.readInt();
    if (len < 0 || len > (1 << 24)) {
      throw new Unreadable("recall index snapshot holds a text of " + len + " bytes");
    }
    byte[] t = in.readNBytes(len);
    String memoryClass = in.readUTF();
    int tags = in.readUnsignedShort();
    List<String> tagList = new ArrayList<>(tags);
    for (int i = 0; i < tags; i++) {
      tagList.add(in.readUTF());
    }
    String source = in.readUTF();
    Instant created = Instant.ofEpochSecond(in.readLong(), in.readInt());
    double importance = in.readDouble();
    boolean pinned = in.readBoolean();
    boolean archived = version >= 2 && in.readBoolean();
    return new IndexedMemory(
        id, new String(t, java.nio.charset.StandardCharsets.UTF_8), memoryClass, tagList, source, created, importance, pinned,
        archived);
  }

  /** A snapshot that does not parse. */
  private static final class Unreadable extends IOException {
    private static final long serialVersionUID = 1L;

    Unreadable(String message) {
      super(message);
    }
  }

  /** Keeps hnswlib's object stream from closing the sealed stream under it. */
  private static final class NoClose extends java.io.FilterOutputStream {
    NoClose(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  @Override
  public void close() {
    text.close();
  }
}
