package dev.mnode.node.backup;

import dev.mnode.crypto.SecretBytes;
import dev.mnode.node.ProgressListener;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import dev.mnode.store.SyncFamily;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Writes a home's logical content as {@link Records} to a stream (the sealed archive), reading the
 * store as it goes: nothing but one record is held in memory. Confined to its caller.
 */
final class ArchiveWriter {
  /** Files of the home a backup carries. */
  static final List<String> FILES = List.of("config.json");

  private final MemoryStore store;
  private final OutputStream out;
  private final Records.Out rec = new Records.Out();
  private long syncRows;
  private long memories;

  ArchiveWriter(MemoryStore store, OutputStream out) {
    this.store = store;
    this.out = out;
  }

  long syncRows() {
    return syncRows;
  }

  long memories() {
    return memories;
  }

  void write(Path home, String device, ProgressListener progress) throws IOException, StoreException {
    long total = store.counts().values().stream().mapToLong(Long::longValue).sum();
    rec.u16(Records.FORMAT).str(store.info().vaultId()).i64(store.info().created().toEpochMilli()).str(device).i64(total)
        .writeTo(out, Records.INFO);
    long files = 0;
    for (String name : FILES) {
      Path f = home.resolve(name);
      if (Files.isRegularFile(f)) {
        rec.str(name).bytes(Files.readAllBytes(f)).writeTo(out, Records.FILE);
        files++;
      }
    }
    List<MemoryClass> classes = store.classes();
    for (MemoryClass c : classes) {
      rec.str(c.name()).writeTo(out, Records.CLASS);
    }
    long secrets = 0;
    List<String> names = store.secretNames();
    for (String name : names) {
      Optional<SecretBytes> s = store.secret(name);
      if (s.isPresent()) {
        try (SecretBytes secret = s.get()) {
          byte[] raw = secret.copy();
          try {
            rec.str(name).bytes(raw).writeTo(out, Records.SECRET);
            secrets++;
          } finally {
            java.util.Arrays.fill(raw, (byte) 0);
          }
        }
      }
    }
    try {
      for (SyncFamily f : SyncFamily.values()) {
        store.syncScanSealed(f, new byte[0], (k, sealedFor, v) -> {
          try {
            rec.str(f.family()).str(sealedFor.map(MemoryClass::name).orElse("")).bytes(k).bytes(v).writeTo(out, Records.SYNC);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          if ((++syncRows & 1023) == 0) {
            progress.progress("sync rows", syncRows, -1);
          }
          return true;
        });
      }
      store.scan(Optional.empty(), m -> {
        try {
          rec.memory(m).writeTo(out, Records.MEMORY);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        if ((++memories & 1023) == 0) {
          progress.progress("memories", memories, total);
        }
        return true;
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    progress.progress("memories", memories, total);
    rec.i64(classes.size()).i64(secrets).i64(syncRows).i64(memories).i64(files).writeTo(out, Records.END);
  }
}
