package dev.mnode.store.rocks;

import dev.mnode.store.StoreException;
import dev.mnode.store.StoreInUseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-writer lock of a store: an OS file lock on {@code mnode.pid}, which holds the pid of
 * the process that owns it so that a second process can name it. The OS releases the lock when the
 * process dies, even by SIGKILL, so a crash never leaves a stale lock.
 *
 * <p>OS locks are per process, and on Linux closing any descriptor of the file drops them all, so a
 * second opener inside this JVM must not even open the file: {@link #HELD} answers it first.
 * Instances are confined to the opener; {@link #HELD} is thread-safe.
 */
final class StoreLock implements AutoCloseable {
  static final String FILE = "mnode.pid";

  /** Lock files this JVM holds, as absolute normalised paths. */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private StoreLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  static StoreLock acquire(Path dir) throws StoreException {
    Path file = dir.resolve(FILE).toAbsolutePath().normalize();
    if (!HELD.add(file)) {
      throw new StoreInUseException(ProcessHandle.current().pid());
    }
    try {
      return lockFile(file);
    } catch (StoreException | RuntimeException e) {
      HELD.remove(file);
      throw e;
    }
  }

  private static StoreLock lockFile(Path file) throws StoreException {
    FileChannel ch;
    try {
      ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StoreException("cannot open lock file " + file + ": " + e.getMessage(), e);
    }
    try {
      FileLock l = ch.tryLock();
      if (l == null) {
        long pid = readPid(file);
        ch.close();
        throw new StoreInUseException(pid);
      }
      byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(pid), 0);
      ch.force(false);
      return new StoreLock(file, ch, l);
    } catch (IOException e) {
      try {
        ch.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new StoreException("cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  private static long readPid(Path file) {
    try {
      String s = Files.readString(file, StandardCharsets.US_ASCII).trim();
      return s.isEmpty() ? -1 : Long.parseLong(s);
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // The OS drops the lock with the descriptor; nothing else to release.
    } finally {
      HELD.remove(file);
    }
  }
}
