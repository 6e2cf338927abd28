package dev.mnode.store.rocks;

import dev.mnode.crypto.CryptoException;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.crypto.StorageKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * What someone holding a copy of a store's directory and some keys can open of it: the store is
 * read with RocksDB directly (read-only), not through our code, and every sealed value is tried
 * under every key held with the associated data the documented formats give ({@link Schema},
 * {@link SealedValues}, {@link SyncValues}, {@link Secrets}). Keys unwrapped from the copy are
 * added to those held and tried in turn. Shared with the node's tests through the test jar.
 */
public final class OldCopyAttack {
  private OldCopyAttack() {}

  /** What opened: counts per kind, the plaintexts of rows and sync values, the secrets and keys. */
  public record Opened(
      String vault, int classKeys, int secrets, int memories, int syncValues,
      List<byte[]> plaintexts, List<SecretBytes> secretValues, List<StorageKey> storageKeys) {

    /** Whether any plaintext or secret holds {@code text} (UTF-8). */
    public boolean mentions(String text) {
      byte[] needle = text.getBytes(StandardCharsets.UTF_8);
      for (byte[] p : plaintexts) {
        if (indexOf(p, needle) >= 0) {
          return true;
        }
      }
      return false;
    }

    public int total() {
      return classKeys + secrets + memories + syncValues;
    }
  }

  /**
   * Opens what {@code masters} and {@code held} open of the store copied at {@code dir} (opened
   * read-only; it must not be a live store's directory).
   */
  public static Opened open(Path dir, List<StorageKey> masters, List<StorageKey> held) throws Exception {
    RocksDB.loadLibrary();
    List<byte[]> names;
    try (Options o = new Options()) {
      names = RocksDB.listColumnFamilies(o, dir.toString());
    }
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (byte[] n : names) {
      descriptors.add(new ColumnFamilyDescriptor(n));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions();
        RocksDB db = RocksDB.openReadOnly(options, dir.toString(), descriptors, handles)) {
      try {
        return attack(db, names, handles, masters, held);
      } finally {
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
  }

  private static Opened attack(
      RocksDB db, List<byte[]> names, List<ColumnFamilyHandle> handles, List<StorageKey> masters, List<StorageKey> held)
      throws Exception {
    ColumnFamilyHandle meta = handle(names, handles, "meta");
    ColumnFamilyHandle keys = handle(names, handles, "keys");
    String vault = HexFormat.of().formatHex(db.get(meta, ascii("vault")));
    Set<String> classNames = new TreeSet<>(List.of(KeyTable.VAULT_SEALER, "personal", "work", "health", "financial", "other"));
    try (RocksIterator it = db.newIterator(meta)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        String k = new String(it.key(), StandardCharsets.ISO_8859_1);
        if (k.startsWith("class/")) {
          classNames.add(k.substring("class/".length()));
        } else if (k.startsWith("retiring/")) {
          classNames.add(new String(it.value(), StandardCharsets.US_ASCII));
        }
      }
    }
    List<StorageKey> pool = new ArrayList<>(held);
    pool.addAll(masters);
    List<byte[]> plaintexts = new ArrayList<>();
    List<SecretBytes> secrets = new ArrayList<>();
    List<StorageKey> unwrapped = new ArrayList<>();
    int classKeys = 0;
    int secretCount = 0;
    try (RocksIterator it = db.newIterator(keys)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        String k = new String(it.key(), StandardCharsets.ISO_8859_1);
        if (k.startsWith("secret/")) {
          String name = k.substring("secret/".length());
          byte[] raw = tryOpen(masters, it.value(), ascii("mnode/secret/v1|" + vault + "|" + name));
          if (raw != null) {
            secretCount++;
            secrets.add(SecretBytes.copyOf(raw));
            plaintexts.add(raw);
          }
        } else if (k.startsWith("class/")) {
          for (String c : classNames) {
            byte[] raw = tryOpen(masters, it.value(), ascii("mnode/classkey/v1|" + vault + "|" + c));
            if (raw != null) {
              classKeys++;
              StorageKey key = StorageKey.of(SecretBytes.copyOf(raw));
              unwrapped.add(key);
              pool.add(key);
              break;
            }
          }
        }
      }
    }
    int memories = 0;
    try (RocksIterator it = db.newIterator(handle(names, handles, "memories"))) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] sealed = Arrays.copyOfRange(it.value(), 5, it.value().length);
        for (String c : classNames) {
          byte[] ad = ByteBuffer.allocate(16 + it.key().length + 1 + c.length())
              .put(ascii("mnode/memory/v1|")).put(it.key()).put((byte) '|').put(ascii(c)).array();
          byte[] raw = tryOpen(pool, sealed, ad);
          if (raw != null) {
            memories++;
            plaintexts.add(raw);
            break;
          }
        }
      }
    }
    int syncValues = 0;
    for (String family : List.of("docs", "bundles", "oplog", "syncstate")) {
      try (RocksIterator it = db.newIterator(handle(names, handles, family))) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          byte[] head = ascii("mnode/sync/v1|" + vault + "|" + family + "|");
          byte[] ad = ByteBuffer.allocate(head.length + it.key().length).put(head).put(it.key()).array();
          byte[] raw = tryOpen(pool, Arrays.copyOfRange(it.value(), 5, it.value().length), ad);
          if (raw != null) {
            syncValues++;
            plaintexts.add(raw);
          }
        }
      }
    }
    return new Opened(vault, classKeys, secretCount, memories, syncValues, plaintexts, secrets, unwrapped);
  }

  private static byte[] tryOpen(List<StorageKey> keys, byte[] sealed, byte[] ad) {
    for (StorageKey k : keys) {
      try {
        return k.open(sealed, ad);
      } catch (CryptoException e) {
        // not this key
      }
    }
    return null;
  }

  private static ColumnFamilyHandle handle(List<byte[]> names, List<ColumnFamilyHandle> handles, String name) {
    for (int i = 0; i < names.size(); i++) {
      if (new String(names.get(i), StandardCharsets.UTF_8).equals(name)) {
        return handles.get(i);
      }
    }
    throw new IllegalStateException("no family " + name);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Where {@code needle} first occurs in {@code hay}, or -1. */
  public static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
