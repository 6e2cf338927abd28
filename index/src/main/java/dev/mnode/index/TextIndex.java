package dev.mnode.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.QueryBuilder;

/**
 * Words: Lucene BM25 over memory texts with Lucene's English analyzer (stemming, stop words),
 * held in memory only, so no index file ever holds a text in clear. A query is analyzed the same
 * way and its terms are OR-ed, so any text a user types is a valid query.
 *
 * <p>Thread-safe: writes synchronize on this index; searches see the last write.
 */
public final class TextIndex implements AutoCloseable {
  private static final String ID = "id";
  private static final String TEXT = "text";

  private final EnglishAnalyzer analyzer = new EnglishAnalyzer();
  private final ByteBuffersDirectory dir = new ByteBuffersDirectory();
  private final IndexWriter writer;
  private final SearcherManager searchers;

  public TextIndex() {
    try {
      IndexWriterConfig config =
          new IndexWriterConfig(analyzer).setSimilarity(new BM25Similarity()).setCommitOnClose(false);
      writer = new IndexWriter(dir, config);
      searchers = new SearcherManager(writer, null);
    } catch (IOException e) {
      throw new IllegalStateException("in-memory Lucene index failed to open", e);
    }
  }

  /** Adds or replaces the text of memory {@code id}. */
  public synchronized void put(String id, String text) throws IndexException {
    Document doc = new Document();
    doc.add(new StringField(ID, id, Field.Store.YES));
    doc.add(new TextField(TEXT, text, Field.Store.NO));
    try {
      writer.updateDocument(new Term(ID, id), doc);
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new IndexException("text index write failed: " + e.getMessage(), e);
    }
  }

  /** Removes memory {@code id}, if present. */
  public synchronized void remove(String id) throws IndexException {
    try {
      writer.deleteDocuments(new Term(ID, id));
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new IndexException("text index delete failed: " + e.getMessage(), e);
    }
  }

  /** Returns up to {@code k} memories by BM25 score, best first; none for a query of stop words. */
  public List<Hit> search(String query, int k) throws IndexException {
    Query q = new QueryBuilder(analyzer).createBooleanQuery(TEXT, query);
    List<Hit> out = new ArrayList<>();
    if (q == null) {
      return out;
    }
    try {
      IndexSearcher s = searchers.acquire();
      try {
        s.setSimilarity(new BM25Similarity());
        for (ScoreDoc d : s.search(q, k).scoreDocs) {
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
