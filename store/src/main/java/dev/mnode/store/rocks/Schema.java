package dev.mnode.store.rocks;

import dev.mnode.crypto.CryptoException;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.crypto.StorageKey;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import dev.mnode.store.StoreInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The on-disk layout of a store, schema version 2: which column families exist, the RocksDB
 * options they use, and the keys of the {@code meta} and {@code keys} families. Schema 2 adds the
 * sync families ({@link dev.mnode.store.SyncFamily}: docs, bundles, oplog, syncstate, values
 * sealed by {@link SyncValues}); a schema 1 store gains them, empty, when it is opened
 * ({@link #migrate}).
 *
 * <pre>
 * meta:  "schema"        -> u32 schema version
 *        "vault"         -> 16 random bytes
 *        "created"       -> i64 epoch millis
 *        "keycheck"      -> AES-GCM(master, "mnode-keycheck", ad = vault id): proves the key file
 *                           belongs to this store
 *        "class/" name   -> u32 class id
 *        "count/" u32 id -> i64 memories in the class
 *        "chg/" u64 seq  -> memory id (16): the change log, one entry per put or delete, which
 *                           tells a derived index what changed since it was saved
 *        "chgseq"        -> u64 latest change; "chgfloor" -> u64 changes up to it are pruned
 *        "sealer"        -> u32 id of the vault sealer, the storage key of class-less sync values
 *                           (absent until the first re-key: the master key seals them, id 0)
 *        "retiring/" u32 id -> class name (or "~vault"): a key a re-key is retiring; present only
 *                           while one is under way ({@link Rekeying})
 * keys:  "class/" u32 id -> AES-GCM(master, class storage key, ad = "mnode/classkey/v1|vault|name");
 *                           the vault sealer's name is "~vault"
 *        "secret/" name  -> AES-GCM(master, secret, ad = "mnode/secret/v1|vault|name"): the device
 *                           identity seed, the vault secret, and later prekeys and class epoch keys
 * </pre>
 *
 * Compression is off: values are ciphertext, which does not compress. Owns the RocksDB handles.
 */
final class Schema implements AutoCloseable {
  static final String MEMORIES = "memories";
  static final String BY_CLASS = "by_class";
  static final String META = "meta";
  static final String KEYS = "keys";
  /** The families of schema 1, before sync kept state. */
  static final List<String> FAMILIES_V1 = List.of(MEMORIES, BY_CLASS, META, KEYS);
  static final List<String> FAMILIES;

  static {
    List<String> all = new ArrayList<>(FAMILIES_V1);
    for (dev.mnode.store.SyncFamily f : dev.mnode.store.SyncFamily.values()) {
      all.add(f.family());
    }
    FAMILIES = List.copyOf(all);
  }

  private static final byte[] SCHEMA_KEY = ascii("schema");
  private static final byte[] VAULT_KEY = ascii("vault");
  private static final byte[] CREATED_KEY = ascii("created");
  private static final byte[] KEYCHECK_KEY = ascii("keycheck");
  private static final byte[] KEYCHECK_PLAINTEXT = ascii("mnode-keycheck");
  private static final String CLASS_PREFIX = "class/";
  private static final String COUNT_PREFIX = "count/";
  private static final String SECRET_PREFIX = "secret/";
  private static final String RETIRING_PREFIX = "retiring/";
  private static final byte[] SEALER_KEY = ascii("sealer");
  private static final byte[] CHANGE_PREFIX = ascii("chg/");
  private static final byte[] CHANGE_SEQ_KEY = ascii("chgseq");
  private static final byte[] CHANGE_FLOOR_KEY = ascii("chgfloor");

  private final RocksDB db;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final Map<String, ColumnFamilyHandle> handles;
  private final List<ColumnFamilyHandle> allHandles;
  /** Replaced once, by a re-key's last step ({@link #replaceMaster}). */
  private volatile StorageKey master;

  private Schema(
      RocksDB db,
      DBOptions dbOptions,
      ColumnFamilyOptions cfOptions,
      Map<String, ColumnFamilyHandle> handles,
      List<ColumnFamilyHandle> allHandles,
      StorageKey master) {
    this.db = db;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.handles = handles;
    this.allHandles = allHandles;
    this.master = master;
  }

  /** Opens (and with {@code create}, creates) the database in {@code dir}. */
  static Schema openDb(String dir, boolean create, StorageKey master) throws RocksDBException {
    RocksDB.loadLibrary();
    DBOptions dbOptions =
        new DBOptions()
            .setCreateIfMissing(create)
            .setCreateMissingColumnFamilies(create)
            .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
            .setKeepLogFileNum(2)
            .setMaxTotalWalSize(64L << 20);
    ColumnFamilyOptions cfOptions =
        new ColumnFamilyOptions()
            .setCompressionType(CompressionType.NO_COMPRESSION)
            .setBottommostCompressionType(CompressionType.NO_COMPRESSION)
            .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10)));
    List<String> names = new ArrayList<>();
    names.add(new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.US_ASCII));
    if (create) {
      names.addAll(FAMILIES);
    } else {
      try (Options o = new Options()) {
        for (byte[] n : RocksDB.listColumnFamilies(o, dir)) {
          String s = new String(n, StandardCharsets.UTF_8);
          if (!names.contains(s)) {
            names.add(s);
          }
        }
      }
    }
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (String n : names) {
      descriptors.add(new ColumnFamilyDescriptor(n.getBytes(StandardCharsets.UTF_8), cfOptions));
    }
    List<ColumnFamilyHandle> list = new ArrayList<>();
    RocksDB db = RocksDB.open(dbOptions, dir, descriptors, list);
    Map<String, ColumnFamilyHandle> byName = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      byName.put(names.get(i), list.get(i));
    }
    return new Schema(db, dbOptions, cfOptions, byName, list, master);
  }

  /** Writes the meta data of a new store: schema, vault id, key check and the built-in classes. */
  StoreInfo initialize(Instant now) throws RocksDBException {
    return initialize(now, SecretBytes.random(16).copy());
  }

  /** As {@link #initialize(Instant)}, for the vault {@code vault} (a restore recreates one). */
  StoreInfo initialize(Instant now, byte[] vault) throws RocksDBException {
    String vaultId = HexFormat.of().formatHex(vault);
    try (WriteBatch batch = new WriteBatch();
        org.rocksdb.WriteOptions sync = new org.rocksdb.WriteOptions().setSync(true)) {
      batch.put(meta(), SCHEMA_KEY, ByteBuffer.allocate(4).putInt(MemoryStore.SCHEMA_VERSION).array());
      batch.put(meta(), VAULT_KEY, vault);
      batch.put(meta(), CREATED_KEY, longBytes(now.toEpochMilli()));
      batch.put(meta(), KEYCHECK_KEY, master.seal(KEYCHECK_PLAINTEXT, vault));
      int id = 1;
      for (MemoryClass c : MemoryClass.BUILT_IN) {
        try (StorageKey k = StorageKey.generate()) {
          writeClass(batch, this, vaultId, id, c, k, master);
        }
        batch.put(meta(), countKey(id), longBytes(0));
        id++;
      }
      db.write(sync, batch);
    }
    return new StoreInfo(vaultId, MemoryStore.SCHEMA_VERSION, Instant.ofEpochMilli(now.toEpochMilli()));
  }

  /**
   * Brings a store of an older schema to this one: for schema 1, creates the sync families (empty)
   * and records schema 2, in that order, so a crash in between leaves a schema 1 store whose
   * families exist, which the next open finishes.
   */
  void migrate(int from) throws RocksDBException {
    if (from == 1) {
      for (String f : FAMILIES) {
        if (!handles.containsKey(f)) {
          ColumnFamilyHandle h = db.createColumnFamily(new ColumnFamilyDescriptor(f.getBytes(StandardCharsets.UTF_8), cfOptions));
          handles.put(f, h);
          allHandles.add(h);
        }
      }
      writeSchemaVersion(2);
    }
  }

  /** Makes this store look written by schema 1 (no sync families): for migration tests. */
  void downgradeToV1() throws RocksDBException {
    for (String f : FAMILIES) {
      if (!FAMILIES_V1.contains(f) && handles.containsKey(f)) {
        ColumnFamilyHandle h = handles.remove(f);
        db.dropColumnFamily(h);
        allHandles.remove(h);
        h.close();
      }
    }
    writeSchemaVersion(1);
  }

  /** Returns the schema version recorded in the store, or -1 when there is none. */
  int recordedSchema() throws RocksDBException {
    ColumnFamilyHandle meta = handles.get(META);
    if (meta == null) {
      return -1;
    }
    byte[] v = db.get(meta, SCHEMA_KEY);
    return v == null || v.length != 4 ? -1 : ByteBuffer.wrap(v).getInt();
  }

  /** Reads the store's facts and checks that {@link #master} is this store's key. */
  StoreInfo readInfo(int schemaVersion) throws RocksDBException, StoreException {
    byte[] vault = db.get(meta(), VAULT_KEY);
    byte[] created = db.get(meta(), CREATED_KEY);
    byte[] check = db.get(meta(), KEYCHECK_KEY);
    if (vault == null || created == null || check == null) {
      throw new StoreException("store meta data is incomplete");
    }
    try {
      master.open(check, vault);
    } catch (CryptoException e) {
      throw new dev.mnode.store.WrongKeyException("the key file does not belong to this store, or it is damaged");
    }
    return new StoreInfo(
        HexFormat.of().formatHex(vault),
        schemaVersion,
        Instant.ofEpochMilli(ByteBuffer.wrap(created).getLong()));
  }

  /**
   * Reads the key table: each class's current storage key, the keys a re-key is retiring and the
   * vault sealer, all unwrapped with the master key.
   */
  KeyTable.Loaded readKeys(String vaultId) throws RocksDBException, StoreException {
    Map<Integer, String> names = new java.util.TreeMap<>();
    byte[] prefix = ascii(CLASS_PREFIX);
    try (RocksIterator it = db.newIterator(meta())) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        String name = new String(it.key(), prefix.length, it.key().length - prefix.length, StandardCharsets.US_ASCII);
        names.put(ByteBuffer.wrap(it.value()).getInt(), name);
      }
      it.status();
    }
    List<RocksMemoryStore.ClassEntry> retiring = new ArrayList<>();
    Map<Integer, StorageKey> sealers = new HashMap<>();
    java.util.Set<Integer> retiringSealers = new java.util.HashSet<>();
    byte[] rprefix = ascii(RETIRING_PREFIX);
    try (RocksIterator it = db.newIterator(meta())) {
      for (it.seek(rprefix); it.isValid() && startsWith(it.key(), rprefix); it.next()) {
        int id = ByteBuffer.wrap(it.key(), rprefix.length, 4).getInt();
        String name = new String(it.value(), StandardCharsets.US_ASCII);
        if (name.equals(KeyTable.VAULT_SEALER)) {
          sealers.put(id, classKey(vaultId, id, name));
          retiringSealers.add(id);
        } else {
          retiring.add(new RocksMemoryStore.ClassEntry(id, new MemoryClass(name), classKey(vaultId, id, name)));
        }
      }
      it.status();
    }
    List<RocksMemoryStore.ClassEntry> withKeys = new ArrayList<>();
    for (Map.Entry<Integer, String> c : names.entrySet()) {
      withKeys.add(new RocksMemoryStore.ClassEntry(c.getKey(), new MemoryClass(c.getValue()), classKey(vaultId, c.getKey(), c.getValue())));
    }
    byte[] sealer = db.get(meta(), SEALER_KEY);
    int sealerId = sealer == null ? 0 : ByteBuffer.wrap(sealer).getInt();
    if (sealerId != 0) {
      sealers.put(sealerId, classKey(vaultId, sealerId, KeyTable.VAULT_SEALER));
    }
    return new KeyTable.Loaded(withKeys, retiring, sealers, retiringSealers, sealerId);
  }

  /** Unwraps the storage key of class id {@code id}, bound to {@code name}. */
  private StorageKey classKey(String vaultId, int id, String name) throws RocksDBException, StoreException {
    byte[] wrapped = db.get(keys(), classKeyKey(id));
    if (wrapped == null) {
      throw new StoreException("storage key of class " + name + " (id " + id + ") is missing");
    }
    try {
      byte[] raw = master.open(wrapped, classKeyAd(vaultId, name));
      try (SecretBytes s = SecretBytes.copyOf(raw)) {
        return StorageKey.of(s);
      } finally {
        java.util.Arrays.fill(raw, (byte) 0);
      }
    } catch (CryptoException e) {
      throw new StoreException("storage key of class " + name + " does not open: damaged");
    }
  }

  /** Adds the storage key row of id {@code id}, bound to {@code name}, sealed under {@code sealUnder}. */
  void writeClassKey(WriteBatch batch, String vaultId, int id, String name, StorageKey key, StorageKey sealUnder)
      throws RocksDBException {
    byte[] raw = key.material().copy();
    try {
      batch.put(keys(), classKeyKey(id), sealUnder.seal(raw, classKeyAd(vaultId, name)));
    } finally {
      java.util.Arrays.fill(raw, (byte) 0);
    }
  }

  /** Adds the mark that id {@code id} (of class {@code name}, or the vault sealer) is retiring. */
  void writeRetiring(WriteBatch batch, int id, String name) throws RocksDBException {
    batch.put(meta(), retiringKey(id), ascii(name));
  }

  /** Adds the vault sealer's id. */
  void writeSealer(WriteBatch batch, int id) throws RocksDBException {
    batch.put(meta(), SEALER_KEY, ByteBuffer.allocate(4).putInt(id).array());
  }

  /** Adds the removal of retired id {@code id}: its key row, retiring mark and count. */
  void deleteRetired(WriteBatch batch, int id) throws RocksDBException {
    batch.delete(keys(), classKeyKey(id));
    batch.delete(meta(), retiringKey(id));
    batch.delete(meta(), countKey(id));
  }

  /** Adds the key check sealed under {@code key}, for the vault {@code vault}. */
  void writeKeyCheck(WriteBatch batch, StorageKey key) throws RocksDBException {
    byte[] vault = db.get(meta(), VAULT_KEY);
    batch.put(meta(), KEYCHECK_KEY, key.seal(KEYCHECK_PLAINTEXT, vault));
  }

  /**
   * Makes {@code next} the master key and wipes the one before; the caller has written everything
   * the old one sealed again under {@code next}.
   */
  void replaceMaster(StorageKey next) {
    StorageKey old = master;
    master = next;
    old.close();
  }

  private static byte[] retiringKey(int id) {
    byte[] p = ascii(RETIRING_PREFIX);
    return ByteBuffer.allocate(p.length + 4).put(p).putInt(id).array();
  }

  /** Reads the per-class memory counts. */
  Map<Integer, Long> readCounts(List<RocksMemoryStore.ClassEntry> classes) throws RocksDBException {
    Map<Integer, Long> out = new HashMap<>();
    for (RocksMemoryStore.ClassEntry c : classes) {
      byte[] v = db.get(meta(), countKey(c.id()));
      out.put(c.id(), v == null ? 0L : ByteBuffer.wrap(v).getLong());
    }
    return out;
  }

  /** Reads the number of the latest change, 0 when none was recorded. */
  long readChangeSeq() throws RocksDBException {
    byte[] v = db.get(meta(), CHANGE_SEQ_KEY);
    return v == null ? 0L : ByteBuffer.wrap(v).getLong();
  }

  /** Reads the change up to which the log is pruned, 0 when nothing was. */
  long readChangeFloor() throws RocksDBException {
    byte[] v = db.get(meta(), CHANGE_FLOOR_KEY);
    return v == null ? 0L : ByteBuffer.wrap(v).getLong();
  }

  /** Adds change {@code seq} of memory {@code id} to {@code batch}. */
  void writeChange(WriteBatch batch, long seq, byte[] id) throws RocksDBException {
    batch.put(meta(), changeKey(seq), id);
  }

  /** Adds the latest change number to {@code batch}. */
  void writeChangeSeq(WriteBatch batch, long seq) throws RocksDBException {
    batch.put(meta(), CHANGE_SEQ_KEY, longBytes(seq));
  }

  /** Adds the pruning of changes up to {@code upTo} to {@code batch}. */
  void writePrune(WriteBatch batch, long upTo) throws RocksDBException {
    batch.deleteRange(meta(), changeKey(0), changeKey(upTo + 1));
    batch.put(meta(), CHANGE_FLOOR_KEY, longBytes(upTo));
  }

  /** Visits the changes after {@code since} in order: memory ids as 16 bytes. */
  void readChanges(long since, java.util.function.Consumer<byte[]> visitor) throws RocksDBException {
    try (RocksIterator it = db.newIterator(meta())) {
      for (it.seek(changeKey(since + 1)); it.isValid() && startsWith(it.key(), CHANGE_PREFIX); it.next()) {
        visitor.accept(it.value());
      }
      it.status();
    }
  }

  private static byte[] changeKey(long seq) {
    return ByteBuffer.allocate(CHANGE_PREFIX.length + 8).put(CHANGE_PREFIX).putLong(seq).array();
  }

  /**
   * Adds to {@code batch} what moves an empty store to vault {@code vault}: the vault id, the key
   * check, and every class key and named secret sealed again with the new vault id as associated
   * data; every row of the sync families is deleted. The caller checked that no memory is stored.
   */
  void adoptVault(WriteBatch batch, byte[] vault, java.util.Collection<RocksMemoryStore.ClassEntry> classes, java.util.Map<String, byte[]> secrets)
      throws RocksDBException {
    String vaultId = HexFormat.of().formatHex(vault);
    batch.put(meta(), VAULT_KEY, vault);
    batch.put(meta(), KEYCHECK_KEY, master.seal(KEYCHECK_PLAINTEXT, vault));
    for (RocksMemoryStore.ClassEntry c : classes) {
      writeClass(batch, this, vaultId, c.id(), c.memoryClass(), c.key(), master);
    }
    for (java.util.Map.Entry<String, byte[]> e : secrets.entrySet()) {
      batch.put(keys(), secretKey(e.getKey()), master.seal(e.getValue(), Secrets.ad(vaultId, e.getKey())));
    }
    for (dev.mnode.store.SyncFamily f : dev.mnode.store.SyncFamily.values()) {
      ColumnFamilyHandle h = family(f.family());
      try (org.rocksdb.RocksIterator it = db.newIterator(h)) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          batch.delete(h, it.key());
        }
      }
    }
  }

  /** Adds a class and its sealed storage key to {@code batch}. */
  static void writeClass(
      WriteBatch batch, Schema s, String vaultId, int id, MemoryClass c, StorageKey key, StorageKey master)
      throws RocksDBException {
    batch.put(s.meta(), ascii(CLASS_PREFIX + c.name()), ByteBuffer.allocate(4).putInt(id).array());
    byte[] raw = key.material().copy();
    try {
      batch.put(s.keys(), classKeyKey(id), master.seal(raw, classKeyAd(vaultId, c)));
    } finally {
      java.util.Arrays.fill(raw, (byte) 0);
    }
  }

  /** Overwrites the recorded schema version; tests use it to simulate a newer store. */
  void writeSchemaVersion(int version) throws RocksDBException {
    try (org.rocksdb.WriteOptions sync = new org.rocksdb.WriteOptions().setSync(true)) {
      db.put(meta(), sync, SCHEMA_KEY, ByteBuffer.allocate(4).putInt(version).array());
    }
  }

  /** Key of a memory in the by_class family: class id u32 | memory id. */
  static byte[] byClassKey(int classId, byte[] id) {
    return ByteBuffer.allocate(4 + id.length).putInt(classId).put(id).array();
  }

  /** Key of a named secret in the keys family: "secret/" name. */
  static byte[] secretKey(String name) {
    if (name.isEmpty() || name.length() > 64 || !name.matches("[a-z0-9][a-z0-9./-]*")) {
      throw new IllegalArgumentException("invalid secret name: " + name);
    }
    return ascii(SECRET_PREFIX + name);
  }

  static byte[] countKey(int classId) {
    byte[] p = ascii(COUNT_PREFIX);
    return ByteBuffer.allocate(p.length + 4).put(p).putInt(classId).array();
  }

  static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  private static byte[] classKeyKey(int id) {
    byte[] p = ascii(CLASS_PREFIX);
    return ByteBuffer.allocate(p.length + 4).put(p).putInt(id).array();
  }

  private static byte[] classKeyAd(String vaultId, MemoryClass c) {
    return classKeyAd(vaultId, c.name());
  }

  private static byte[] classKeyAd(String vaultId, String name) {
    return ascii("mnode/classkey/v1|" + vaultId + "|" + name);
  }

  private static boolean startsWith(byte[] a, byte[] prefix) {
    return a.length >= prefix.length
        && java.util.Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  RocksDB db() {
    return db;
  }

  StorageKey master() {
    return master;
  }

  ColumnFamilyHandle memories() {
    return handle(MEMORIES);
  }

  ColumnFamilyHandle byClass() {
    return handle(BY_CLASS);
  }

  ColumnFamilyHandle meta() {
    return handle(META);
  }

  ColumnFamilyHandle keys() {
    return handle(KEYS);
  }

  List<ColumnFamilyHandle> handles() {
    return allHandles;
  }

  boolean hasAllFamilies() {
    return handles.keySet().containsAll(FAMILIES);
  }

  boolean hasV1Families() {
    return handles.keySet().containsAll(FAMILIES_V1);
  }

  /** The handle of a sync family by its name on disk. */
  ColumnFamilyHandle family(String name) {
    return handle(name);
  }

  private ColumnFamilyHandle handle(String name) {
    @Nullable ColumnFamilyHandle h = handles.get(name);
    if (h == null) {
      throw new IllegalStateException("column family " + name + " is missing");
    }
    return h;
  }

  @Override
  public void close() {
    for (ColumnFamilyHandle h : allHandles) {
      h.close();
    }
    db.close();
    dbOptions.close();
    cfOptions.close();
    master.close();
  }
}
