package dev.mnode.bench;

import dev.mnode.crypto.KeyFile;
import dev.mnode.crypto.StorageKey;
import dev.mnode.node.Home;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.rocks.RocksStoreModule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksDB;

/**
 * Run in a fresh JVM by {@link StartupBreakdown}: does what {@code mnode status} does with the
 * store (the same calls {@code NodeModule.open} and {@code status()} make, without picocli and the
 * rendering) and prints, one per line, {@code phase nanoTime} after each step, starting with {@code
 * main} on entry, then {@code memories N} and {@code disk-bytes N}. On Linux {@link
 * System#nanoTime()} reads the system-wide monotonic clock, so the parent can place these marks on
 * its own time line.
 */
public final class StartupProbe {
  private StartupProbe() {}

  /**
   * Opens the home {@code args[0]} (no passphrase), reads its status, closes it and prints the
   * marks.
   */
  public static void main(String[] args) throws Exception {
    long entered = System.nanoTime();
    List<String> marks = new ArrayList<>();
    marks.add("main " + entered);
    RocksDB.loadLibrary();
    marks.add(StartupBreakdown.LOAD_NATIVE + " " + System.nanoTime());
    Home home = new Home(Path.of(args[0]));
    StorageKey master = KeyFile.open(home.keyFile(), null);
    KeyFile.isProtected(home.keyFile());
    marks.add(StartupBreakdown.KEY_FILE + " " + System.nanoTime());
    try (MemoryStore store = RocksStoreModule.open(home.storeDir(), master)) {
      marks.add(StartupBreakdown.OPEN_STORE + " " + System.nanoTime());
      long count = store.counts().values().stream().mapToLong(Long::longValue).sum();
      long bytes = store.diskBytes();
      marks.add(StartupBreakdown.STATUS + " " + System.nanoTime());
      marks.add("memories " + count);
      marks.add("disk-bytes " + bytes);
    }
    marks.add(StartupBreakdown.CLOSE + " " + System.nanoTime());
    marks.forEach(System.out::println);
  }
}
