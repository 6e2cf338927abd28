package dev.mnode.index;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.util.QueryBuilder;

/**
 * Words: Lucene BM25 over memory texts with Lucene's English analyzer (stemming, stop words),
 * held in memory only, so no index file ever holds a text in clear; {@link #writeTo} gives its
 * files for a sealed snapshot. A query is analyzed the same way and its terms are OR-ed, so any
 * text a user types is a valid query. Class, tags, source and creation time are indexed too, so
 * that a filtered search filters inside Lucene rather than after a cut-off.
 *
 * <p>Thread-safe: writes synchronize on this index; searches see the last write.
 */
public final class TextIndex implements AutoCloseable {
  private static final String ID = "id";
  private static final String TEXT = "text";
  private static final String CLASS = "class";
  private static final String TAG = "tag";
  private static final String SOURCE = "source";
  private static final String CREATED = "created";
  /** Present (as "1") on archived memories only, so that older snapshots read as not archived. */
  private static final String ARCHIVED = "archived";
  private static final int SNAPSHOT_VERSION = 1;

  private final EnglishAnalyzer analyzer = new EnglishAnalyzer();
  private final ByteBuffersDirectory dir;
  private final IndexWriter writer;
  private final SearcherManager searchers;

  /** An empty index. */
  public TextIndex() {
    this(new ByteBuffersDirectory(), IndexWriterConfig.OpenMode.CREATE);
  }

  private TextIndex(ByteBuffersDirectory dir, IndexWriterConfig.OpenMode mode) {
    this.dir = dir;
    try {
      IndexWriterConfig config =
          new IndexWriterConfig(analyzer)
              .setOpenMode(mode)
              .setSimilarity(new BM25Similarity())
              .setCommitOnClose(false)
              .setRAMBufferSizeMB(64);
      writer = new IndexWriter(dir, config);
      searchers = new SearcherManager(writer, null);
    } catch (IOException e) {
      throw new IllegalStateException("in-memory Lucene index failed to open", e);
    }
  }

  /** Adds or replaces the text of {@code id}, with no facts to filter by. */
  public void put(String id, String text) throws IndexException {
    put(new IndexedMemory(id, text, "", List.of(), "", java.time.Instant.EPOCH, 0.5, false));
  }

  /** Removes memory {@code id}, if present. */
  public void remove(String id) throws IndexException {
    removeAll(List.of(id));
  }

  /** Adds or replaces one memory. */
  public synchronized void put(IndexedMemory m) throws IndexException {
    putAll(List.of(m));
  }

  /** Adds or replaces memories, making them searchable once, at the end. */
  public synchronized void putAll(Collection<IndexedMemory> memories) throws IndexException {
    try {
      for (IndexedMemory m : memories) {
        writer.updateDocument(new Term(ID, m.id()), document(m));
      }
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new IndexException("text index write failed: " + e.getMessage(), e);
    }
  }

  private static Document document(IndexedMemory m) {
    Document doc = new Document();
    doc.add(new StringField(ID, m.id(), Field.Store.YES));
    doc.add(new TextField(TEXT, m.text(), Field.Store.NO));
    doc.add(new StringField(CLASS, m.memoryClass(), Field.Store.NO));
    for (String t : m.tags()) {
      doc.add(new StringField(TAG, t, Field.Store.NO));
    }
    doc.add(new StringField(SOURCE, m.source(), Field.Store.NO));
    doc.add(new LongPoint(CREATED, m.created().toEpochMilli()));
    if (m.archived()) {
      doc.add(new StringField(ARCHIVED, "1", Field.Store.NO));
    }
    return doc;
  }

  /** Removes memories, if present. */
  public synchronized void removeAll(Collection<String> ids) throws IndexException {
    try {
      for (String id : ids) {
        writer.deleteDocuments(new Term(ID, id));
      }
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new IndexException("text index delete failed: " + e.getMessage(), e);
    }
  }

  /** Returns up to {@code k} memories by BM25 score, best first; none for a query of stop words. */
  public List<Hit> search(String query, int k) throws IndexException {
    return search(query, k, Filter.NONE);
  }

  /** Returns up to {@code k} memories that pass {@code filter} by BM25 score, best first. */
  public List<Hit> search(String query, int k, Filter filter) throws IndexException {
    Query words = new QueryBuilder(analyzer).createBooleanQuery(TEXT, query);
    List<Hit> out = new ArrayList<>();
    if (words == null) {
      return out;
    }
    BooleanQuery.Builder q = new BooleanQuery.Builder().add(words, BooleanClause.Occur.MUST);
    if (!filter.classes().isEmpty()) {
      BooleanQuery.Builder any = new BooleanQuery.Builder();
      filter.classes().forEach(c -> any.add(new TermQuery(new Term(CLASS, c)), BooleanClause.Occur.SHOULD));
      q.add(any.build(), BooleanClause.Occur.FILTER);
    }
    filter.tags().forEach(t -> q.add(new TermQuery(new Term(TAG, t)), BooleanClause.Occur.FILTER));
    if (!filter.archived()) {
      q.add(new TermQuery(new Term(ARCHIVED, "1")), BooleanClause.Occur.MUST_NOT);
    }
    filter.source().ifPresent(s -> q.add(new TermQuery(new Term(SOURCE, s)), BooleanClause.Occur.FILTER));
    if (filter.since().isPresent() || filter.until().isPresent()) {
      long lo = filter.since().map(i -> i.toEpochMilli()).orElse(Long.MIN_VALUE);
      long hi = filter.until().map(i -> i.toEpochMilli() - 1).orElse(Long.MAX_VALUE);
      q.add(LongPoint.newRangeQuery(CREATED, lo, hi), BooleanClause.Occur.FILTER);
    }
    try {
      IndexSearcher s = searchers.acquire();
      try {
        s.setSimilarity(new BM25Similarity());
        for (ScoreDoc d : s.search(q.build(), k).scoreDocs) {
          out.add(new Hit(s.storedFields().document(d.doc).get(ID), d.score));
        }
      } finally {
        searchers.release(s);
      }
    } catch (IOException e) {
      throw new IndexException("text search failed: " + e.getMessage(), e);
    }
    return out;
  }

  /** Returns the number of memories indexed. */
  public int size() {
    return writer.getDocStats().numDocs;
  }

  /** Commits and writes the index's files, for a sealed snapshot that {@link #readFrom} loads. */
  public synchronized void writeTo(DataOutputStream out) throws IOException {
    writer.forceMergeDeletes();
    writer.commit();
    List<String> files = new ArrayList<>();
    for (String f : dir.listAll()) {
      if (!f.equals(IndexWriter.WRITE_LOCK_NAME)) {
        files.add(f);
      }
    }
    out.writeInt(SNAPSHOT_VERSION);
    out.writeInt(files.size());
    byte[] buf = new byte[1 << 16];
    for (String f : files) {
      out.writeUTF(f);
      try (IndexInput in = dir.openInput(f, IOContext.READONCE)) {
        long n = in.length();
        out.writeLong(n);
        for (long left = n; left > 0; ) {
          int chunk = (int) Math.min(buf.length, left);
          in.readBytes(buf, 0, chunk);
          out.write(buf, 0, chunk);
          left -= chunk;
        }
      }
    }
  }

  /** Loads an index written by {@link #writeTo}. */
  public static TextIndex readFrom(DataInputStream in) throws IOException {
    int version = in.readInt();
    if (version != SNAPSHOT_VERSION) {
      throw new IOException("text index snapshot version " + version + " is not " + SNAPSHOT_VERSION);
    }
    int files = in.readInt();
    if (files < 0 || files > 10_000) {
      throw new IOException("text index snapshot lists " + files + " files");
    }
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    byte[] buf = new byte[1 << 16];
    for (int i = 0; i < files; i++) {
      String name = in.readUTF();
      long n = in.readLong();
      if (n < 0) {
        throw new IOException("text index snapshot file " + name + " has length " + n);
      }
      try (IndexOutput out = dir.createOutput(name, IOContext.DEFAULT)) {
        for (long left = n; left > 0; ) {
          int chunk = (int) Math.min(buf.length, left);
          in.readFully(buf, 0, chunk);
          out.writeBytes(buf, 0, chunk);
          left -= chunk;
        }
      }
    }
    if (!DirectoryReader.indexExists(dir)) {
      throw new IOException("text index snapshot holds no index");
    }
    return new TextIndex(dir, IndexWriterConfig.OpenMode.APPEND);
  }

  @Override
  public synchronized void close() {
    try {
      searchers.close();
      writer.rollback();
      dir.close();
    } catch (IOException e) {
      // in-memory: nothing left to release
    }
    analyzer.close();
  }
}
