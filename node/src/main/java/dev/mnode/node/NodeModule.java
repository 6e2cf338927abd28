package dev.mnode.node;

import dev.mnode.crypto.Argon2Params;
import dev.mnode.crypto.KeyFile;
import dev.mnode.crypto.KeyFileException;
import dev.mnode.crypto.StorageKey;
import dev.mnode.index.Embedder;
import dev.mnode.node.backup.BackupSummary;
import dev.mnode.node.backup.Backups;
import dev.mnode.node.backup.RecoveryPhrases;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import dev.mnode.store.rocks.RocksStoreModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** Builds the node's services; the only place that constructs their implementations. */
public final class NodeModule {
  private NodeModule() {}

  /**
   * Creates a new home: the directory (mode 0700), a master key file (0600; passphrase-protected
   * when {@code passphrase} is non-null) and an empty store with the built-in classes.
   *
   * @throws NodeException if the directory already holds a home or anything else
   */
  public static MemoryService init(
      Home home, char @Nullable [] passphrase, Argon2Params params, Clock clock)
      throws NodeException {
    return init(home, passphrase, params, clock, IGNORE);
  }

  /** As {@link #init(Home, char[], Argon2Params, Clock)}, reporting warnings to {@code warn}. */
  public static MemoryService init(
      Home home, char @Nullable [] passphrase, Argon2Params params, Clock clock, Consumer<String> warn)
      throws NodeException {
    KeyFile.Unlocked unlocked = newHome(home, passphrase, params);
    StorageKey master = unlocked.master();
    try {
      MemoryStore store = RocksStoreModule.create(home.storeDir(), master, clock);
      try {
        var device = DeviceSecrets.ensure(store);
        RecoveryPhrases.ensure(store).close();
        VaultReplica.start(store, clock);
        NodeConfig config = NodeConfig.load(home.dir());
        LocalMemoryService service = new LocalMemoryService(home, store, device, clock, embedder(home), warn, config.redaction());
        service.keepKeys(AtRestKeys.of(home, unlocked.protection()));
        return service;
      } catch (StoreException | NodeException | RuntimeException e) {
        store.close();
        unlocked.protection().close();
        throw e;
      }
    } catch (StoreException e) {
      unlocked.close();
      try {
        Files.deleteIfExists(home.keyFile());
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new NodeException(e.getMessage(), e);
    }
  }

  /**
   * Creates a new home for a device joining an existing vault after pairing: as {@link #init}, but
   * the store belongs to vault {@code vaultId}, the device's identity is {@code identitySeed} (the
   * key it paired with) and its vault secret and membership come from the member. Nothing is left
   * behind if it fails.
   *
   * @param operations the vault's membership operations, the genesis first, naming this device
   */
  public static MemoryService join(
      Home home, char @Nullable [] passphrase, Argon2Params params, Clock clock, Consumer<String> warn,
      dev.mnode.crypto.SecretBytes identitySeed, byte[] vaultId, dev.mnode.crypto.SecretBytes vaultSecret,
      java.util.List<byte[]> operations)
      throws NodeException {
    KeyFile.Unlocked unlocked = newHome(home, passphrase, params);
    StorageKey master = unlocked.master();
    MemoryStore store = null;
    try {
      store = RocksStoreModule.create(home.storeDir(), master, clock, vaultId);
      store.putSecret(DeviceSecrets.VAULT, vaultSecret);
      store.putSecret(DeviceSecrets.IDENTITY, identitySeed);
      var device = DeviceSecrets.ensure(store);
      RecoveryPhrases.ensure(store).close();
      VaultReplica.join(store, clock, operations);
      LocalMemoryService service =
          new LocalMemoryService(home, store, device, clock, embedder(home), warn, NodeConfig.load(home.dir()).redaction());
      service.keepKeys(AtRestKeys.of(home, unlocked.protection()));
      return service;
    } catch (StoreException | dev.mnode.node.sync.SyncException | NodeException | RuntimeException e) {
      unlocked.protection().close();
      if (store != null) {
        store.close();
      } else {
        master.close();
      }
      try {
        Files.deleteIfExists(home.keyFile());
        deleteTree(home.storeDir());
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e instanceof NodeException ne ? ne : new NodeException("cannot join the vault: " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Makes the home directory (0700, new or empty) and its master key file; returns the key and
   * the file's protection (a passphrase is stretched once more for it: init is rare).
   */
  private static KeyFile.Unlocked newHome(Home home, char @Nullable [] passphrase, Argon2Params params) throws NodeException {
    Path dir = home.dir();
    try {
      if (Files.exists(home.keyFile()) || Files.exists(home.storeDir())) {
        throw new NodeException("already initialised: " + dir);
      }
      if (Files.exists(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          if (s.findAny().isPresent()) {
            throw new NodeException(dir + " is not empty; give --home a new or empty directory");
          }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      } else {
        Files.createDirectories(
            dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
    } catch (IOException e) {
      throw new NodeException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    try {
      KeyFile.create(home.keyFile(), passphrase, params).close();
      return KeyFile.unlock(home.keyFile(), passphrase);
    } catch (KeyFileException e) {
      throw new NodeException(e.getMessage(), e);
    }
  }

  /**
   * Opens an existing home for this process alone.
   *
   * @throws NodeException if it is not a home, its key file is missing or locked by a passphrase
   *     that was not given or is wrong, or another process has it open
   */
  public static MemoryService open(Home home, PassphraseSource passphrase, Clock clock)
      throws NodeException {
    return open(home, passphrase, clock, IGNORE);
  }

  /** As {@link #open(Home, PassphraseSource, Clock)}, reporting one-line warnings to {@code warn}. */
  public static MemoryService open(Home home, PassphraseSource passphrase, Clock clock, Consumer<String> warn)
      throws NodeException {
    return open(home, passphrase, clock, warn, null);
  }

  /**
   * As {@link #open(Home, PassphraseSource, Clock, Consumer)}, embedding with {@code embedder}
   * instead of the model {@code config.json} names: an application's own model, or a benchmark's.
   * The recall index remembers the model id, so a different one rebuilds it.
   */
  public static MemoryService open(
      Home home, PassphraseSource passphrase, Clock clock, Consumer<String> warn, @Nullable Embedder embedder)
      throws NodeException {
    if (!Files.exists(home.keyFile()) && !RocksStoreModule.isStore(home.storeDir())) {
      throw new NodeException(
          "not an mnode home: " + home.dir() + " (run `mnode init` first, or pass --home DIR)");
    }
    AtRestKeys.Opened opened = AtRestKeys.openStore(home, openKey(home, passphrase));
    MemoryStore store = opened.store();
    try {
      LocalMemoryService service = new LocalMemoryService(
          home, store, DeviceSecrets.ensure(store), clock, embedder != null ? embedder : embedder(home), warn,
          NodeConfig.load(home.dir()).redaction());
      service.keepKeys(opened.keys());
      return service;
    } catch (StoreException | RuntimeException e) {
      store.close();
      opened.keys().close();
      throw new NodeException(e.getMessage(), e);
    } catch (NodeException e) {
      store.close();
      opened.keys().close();
      throw e;
    }
  }

  /**
   * Returns the recovery phrase of the home {@code service} has open in this process (as {@link
   * #init} or {@link #open} return it), making one first for a home made before phrases existed.
   *
   * @throws NodeException if {@code service} talks to a running node rather than its own store
   */
  public static RecoveryPhrases.Ensured recoveryPhrase(MemoryService service) throws NodeException {
    try {
      return RecoveryPhrases.ensure(local(service).store());
    } catch (StoreException e) {
      throw new NodeException(e.getMessage(), e);
    }
  }

  /**
   * Writes an encrypted backup of the home {@code service} has open in this process to {@code
   * file}, sealed under the home's recovery phrase (made first if the home has none, which the
   * summary reports). See {@link Backups#backup}.
   */
  public static BackupSummary backup(MemoryService service, Path file, Argon2Params cost, ProgressListener progress)
      throws NodeException {
    LocalMemoryService local = local(service);
    NodeStatus status = local.status();
    try (RecoveryPhrases.Ensured phrase = recoveryPhrase(service)) {
      return Backups.backup(
          local.store(), local.home(), status.deviceId(), file, phrase.phrase(), phrase.madeNow(), cost, progress);
    }
  }

  /**
   * Archives old, unimportant memories of the home {@code service} has open in this process and
   * summarizes old near-duplicates when a summarize endpoint is configured; with {@code dryRun}
   * only reports what it would do. See {@link dev.mnode.node.aging.Compactor}.
   *
   * @throws NodeException if {@code service} talks to a running node rather than its own store
   */
  public static dev.mnode.node.aging.CompactReport compact(MemoryService service, boolean dryRun, ProgressListener progress)
      throws NodeException {
    return local(service).compact(dryRun, progress);
  }

  private static LocalMemoryService local(MemoryService service) throws NodeException {
    if (service instanceof LocalMemoryService l) {
      return l;
    }
    throw new NodeException("this needs the home's store itself; stop the node serving it first");
  }

  private static final Consumer<String> IGNORE = w -> {};

  private static Embedder embedder(Home home) throws NodeException {
    return NodeConfig.load(home.dir()).embedding().embedder(System.getenv());
  }

  private static KeyFile.Unlocked openKey(Home home, PassphraseSource source) throws NodeException {
    try {
      if (!KeyFile.isProtected(home.keyFile())) {
        return KeyFile.unlock(home.keyFile(), null);
      }
      char[] pass = source.get();
      try {
        return KeyFile.unlock(home.keyFile(), pass);
      } finally {
        if (pass != null) {
          Arrays.fill(pass, '\0');
        }
      }
    } catch (KeyFileException e) {
      if (e.reason() == KeyFileException.Reason.PASSPHRASE_REQUIRED) {
        throw new NodeException(
            e.getMessage() + ": set MNODE_PASSPHRASE or run mnode on a terminal", e);
      }
      throw new NodeException(e.getMessage(), e);
    }
  }
}
