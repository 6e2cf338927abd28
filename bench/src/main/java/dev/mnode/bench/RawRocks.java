package dev.mnode.bench;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.rocksdb.CompressionType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;
import org.rocksdb.WriteOptions;

/**
 * A bare RocksDB with the store's durability (every write syncs the write-ahead log) and its table
 * options (no compression), without mnode's code around it: no encryption, no per-store write lock.
 * It shows what RocksDB's group commit does with concurrent synced writers.
 */
final class RawRocks implements AutoCloseable {
  /** Bytes of each value: about one sealed memory of the corpus. */
  static final int VALUE_BYTES = 320;

  private final Statistics statistics = new Statistics();
  private final Options options;
  private final WriteOptions sync;
  private final RocksDB db;
  private final byte[] value = new byte[VALUE_BYTES];

  /** Creates a new database in {@code dir}. */
  RawRocks(Path dir) throws RocksDBException {
    RocksDB.loadLibrary();
    options =
        new Options()
            .setCreateIfMissing(true)
            .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
            .setMaxTotalWalSize(64L << 20)
            .setCompressionType(CompressionType.NO_COMPRESSION)
            .setStatistics(statistics);
    sync = new WriteOptions().setSync(true);
    db = RocksDB.open(options, dir.toString());
    new SplittableRandom(Corpus.SEED).nextBytes(value);
  }

  /** Puts a value under a 16-byte key made from {@code seq}, returning once the WAL is synced. */
  void put(int seq) throws RocksDBException {
    byte[] key = ByteBuffer.allocate(16).putLong(System.nanoTime()).putLong(seq).array();
    db.put(sync, key, value);
  }

  /** Returns how many times the WAL was synced since the last call (or since opening). */
  long takeWalSyncs() {
    return statistics.getAndResetTickerCount(TickerType.WAL_FILE_SYNCED);
  }

  @Override
  public void close() {
    db.close();
    sync.close();
    options.close();
    statistics.close();
  }
}
