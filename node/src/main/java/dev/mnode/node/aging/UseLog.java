package dev.mnode.node.aging;

import dev.mnode.crypto.CryptoException;
import dev.mnode.crypto.SealedFile;
import dev.mnode.index.Fusion;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How often and how lately this device recalled or read each memory: local facts about one
 * device's use, kept out of memory rows (a row change would become a sync change for every device)
 * in {@code uses.sealed} in the home, sealed ({@link SealedFile}) under a random key kept as a
 * store secret.
 *
 * <pre>
 * sealed body:  "MNUL" | version (int, 1) | n (int, 0..MAX_ENTRIES)
 *               n x ( id (modified UTF-8) | count (long) | last use (long, epoch ms) )
 * </pre>
 *
 * Loaded on first use; saved on close, and otherwise once {@link #SAVE_AFTER} passed since the last
 * save or the uses since then outnumber both {@value #SAVE_EVERY} and the entries (so that a save,
 * which rewrites every entry, costs O(1) per use however large the log grows). A missing file starts empty; a damaged one starts empty with a warning
 * (use counts only nudge ranking and archiving, so losing them loses nothing of the memories).
 *
 * <p>Thread-safe.
 */
public final class UseLog implements AutoCloseable {
  static final String FILE = "uses.sealed";
  static final String KEY_SECRET = "use-log-key";
  static final int MAGIC = 0x4d4e554c; // "MNUL"
  static final int VERSION = 1;
  static final int MAX_ENTRIES = 10_000_000;
  static final int SAVE_EVERY = 4_096;
  static final Duration SAVE_AFTER = Duration.ofMinutes(10);

  private final Path file;
  private final MemoryStore store;
  private final Clock clock;
  private final Consumer<String> warn;
  /** Guarded by this. Null until first use. */
  private Map<String, Fusion.Use> uses;
  private int unsaved;
  private Instant savedAt;

  /** A log over {@code home}'s file; nothing is read until first use. */
  public UseLog(Path home, MemoryStore store, Clock clock, Consumer<String> warn) {
    this.file = home.resolve(FILE);
    this.store = store;
    this.clock = clock;
    this.warn = warn;
    this.savedAt = clock.instant();
  }

  /** How this device used memory {@code id}; {@link Fusion.Use#NEVER} when it never did. */
  public synchronized Fusion.Use use(String id) {
    return loaded().getOrDefault(id, Fusion.Use.NEVER);
  }

  /** Counts one use of each of {@code ids}, now; saves when enough changed. */
  public synchronized void used(Collection<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    Map<String, Fusion.Use> m = loaded();
    for (String id : ids) {
      Fusion.Use old = m.getOrDefault(id, Fusion.Use.NEVER);
      if (m.size() < MAX_ENTRIES || m.containsKey(id)) {
        m.put(id, new Fusion.Use(old.count() + 1, now.isAfter(old.last()) ? now : old.last()));
      }
    }
    unsaved += ids.size();
    if (unsaved >= Math.max(SAVE_EVERY, m.size()) || !now.isBefore(savedAt.plus(SAVE_AFTER))) {
      save();
    }
  }

  /** Drops the entries of memories not in {@code live} (forgotten ones); returns how many. */
  public synchronized int retainOnly(Set<String> live) {
    Map<String, Fusion.Use> m = loaded();
    int before = m.size();
    m.keySet().retainAll(live);
    int dropped = before - m.size();
    unsaved += dropped;
    return dropped;
  }

  /** Saves now if anything changed since the last save. */
  public synchronized void flush() {
    if (uses != null && unsaved > 0) {
      save();
    }
  }

  /**
   * Seals the log again under a fresh key, which replaces the old one in the store, so that a
   * copy of the old file no longer opens with any key the store holds. Losing the log to a crash
   * in between costs only use counts.
   */
  public synchronized void rekey() throws StoreException {
    loaded();
    dev.mnode.node.FileKeys.replace(store, KEY_SECRET);
    save();
  }

  @Override
  public void close() {
    flush();
  }

  private Map<String, Fusion.Use> loaded() {
    if (uses == null) {
      uses = load();
    }
    return uses;
  }

  private Map<String, Fusion.Use> load() {
    try (SealedFile key = key()) {
      return key.read(file, ad(), in -> read(new DataInputStream(in)));
    } catch (NoSuchFileException e) {
      return new HashMap<>();
    } catch (IOException | CryptoException | StoreException e) {
      warn.accept("the use log is damaged (" + e.getMessage() + "); recall counts start again");
      return new HashMap<>();
    }
  }

  private static Map<String, Fusion.Use> read(DataInputStream in) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IOException("not a use log");
    }
    int version = in.readInt();
    if (version != VERSION) {
      throw new IOException("use log version " + version + " is not " + VERSION);
    }
    int n = in.readInt();
    if (n < 0 || n > MAX_ENTRIES) {
      throw new IOException("use log counts " + n + " entries");
    }
    Map<String, Fusion.Use> out = new HashMap<>(Math.max(16, n * 4 / 3));
    for (int i = 0; i < n; i++) {
      String id = in.readUTF();
      long count = in.readLong();
      long last = in.readLong();
      if (count < 0) {
        throw new IOException("use log entry " + i + " has a negative count");
      }
      out.put(id, new Fusion.Use(count, Instant.ofEpochMilli(last)));
    }
    return out;
  }

  private void save() {
    try (SealedFile key = key()) {
      Map<String, Fusion.Use> m = uses;
      key.write(file, ad(), raw -> {
        DataOutputStream out = new DataOutputStream(raw);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(m.size());
        for (Map.Entry<String, Fusion.Use> e : m.entrySet()) {
          out.writeUTF(e.getKey());
          out.writeLong(e.getValue().count());
          out.writeLong(e.getValue().last().toEpochMilli());
        }
        out.flush();
      });
      unsaved = 0;
      savedAt = clock.instant();
    } catch (IOException | CryptoException | StoreException e) {
      warn.accept("cannot save the use log: " + e.getMessage());
    }
  }

  private SealedFile key() throws StoreException, CryptoException {
    return dev.mnode.node.FileKeys.of(store, KEY_SECRET);
  }

  private byte[] ad() {
    return ("mnode/use-log/v1|" + store.info().vaultId()).getBytes(StandardCharsets.US_ASCII);
  }
}
