package dev.mnode.node.backup;

import dev.mnode.crypto.Argon2Params;
import dev.mnode.crypto.ArchiveException;
import dev.mnode.crypto.KeyFile;
import dev.mnode.crypto.KeyFileException;
import dev.mnode.crypto.RecoveryPhrase;
import dev.mnode.crypto.SealedArchive;
import dev.mnode.crypto.StorageKey;
import dev.mnode.node.Home;
import dev.mnode.node.InvalidInputException;
import dev.mnode.node.NodeException;
import dev.mnode.node.ProgressListener;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Backup to one sealed archive, and restore from it into a new home. See the package
 * documentation for what an archive holds and when to restore rather than pair.
 */
public final class Backups {
  static final FileAttribute<?> OWNER_FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final FileAttribute<?> OWNER_DIR =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private Backups() {}

  /**
   * Writes every memory, class, secret, sync row and config file of {@code store} (the store of
   * {@code home}) to the archive {@code file}, sealed under {@code phrase}. The archive goes to a
   * temporary file beside {@code file} (mode 0600), synced and renamed over it at the end, so a
   * failure leaves no partial archive.
   *
   * @param device this device's public identity, hex, recorded in the archive
   * @param phraseMadeNow reported in the summary: the phrase was made for this backup
   */
  public static BackupSummary backup(
      MemoryStore store, Home home, String device, Path file, RecoveryPhrase phrase, boolean phraseMadeNow,
      Argon2Params cost, ProgressListener progress) throws NodeException {
    long start = System.nanoTime();
    Path target = file.toAbsolutePath().normalize();
    Path tmp;
    try {
      tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp", OWNER_FILE);
    } catch (IOException e) {
      throw new InvalidInputException("cannot write " + target + ": " + reason(e));
    }
    try {
      ArchiveWriter w;
      try (OutputStream raw = Files.newOutputStream(tmp);
          OutputStream sealed = SealedArchive.seal(new BufferedOutputStream(raw, 1 << 16), phrase, cost);
          OutputStream out = new BufferedOutputStream(sealed, 1 << 16)) {
        w = new ArchiveWriter(store, out);
        w.write(home.dir(), device, progress);
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      long bytes = Files.size(tmp);
      move(tmp, target);
      return new BackupSummary(target, w.memories(), w.syncRows(), bytes, (System.nanoTime() - start) / 1e9, phraseMadeNow);
    } catch (StoreException e) {
      throw new NodeException("backup failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new NodeException("cannot write " + target + ": " + reason(e), e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the temporary file is ours and empty of clear text; a leftover is harmless
      }
    }
  }

  /**
   * Recreates a home from the archive {@code file} in {@code home}, which must not exist or be an
   * empty directory. Everything is written to a new directory beside {@code home} and renamed to it
   * at the end, so a failure (wrong phrase, damaged archive, full disk) leaves {@code home} as it
   * was. The new home gets a fresh master key file, passphrase-protected when {@code passphrase} is
   * given.
   *
   * @throws InvalidInputException if {@code home} is not empty, the file is missing or not a backup,
   *     or the phrase does not open it
   * @throws NodeException if the archive is damaged or the write fails
   */
  public static RestoreSummary restore(
      Path file, RecoveryPhrase phrase, Home home, char @Nullable [] passphrase, Argon2Params keyCost,
      ProgressListener progress) throws NodeException {
    long start = System.nanoTime();
    Path dir = home.dir();
    requireEmpty(dir);
    Path parent = dir.getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new InvalidInputException("cannot create " + parent + ": " + reason(e));
    }
    try (InputStream raw = open(file);
        InputStream opened = SealedArchive.open(new BufferedInputStream(raw, 1 << 16), phrase);
        InputStream in = new BufferedInputStream(opened, 1 << 16)) {
      Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".restore-", OWNER_DIR);
      try {
        StorageKey master = KeyFile.create(tmp.resolve(home.keyFile().getFileName()), passphrase, keyCost);
        ArchiveReader reader = new ArchiveReader(in, progress);
        reader.restoreInto(tmp, master);
        requireEmpty(dir);
        Files.deleteIfExists(dir);
        move(tmp, dir);
        return new RestoreSummary(
            dir, reader.vaultId(), reader.device(), reader.memories(), reader.syncRows(), (System.nanoTime() - start) / 1e9);
      } finally {
        deleteTree(tmp);
      }
    } catch (ArchiveException e) {
      throw new InvalidInputException(e.getMessage());
    } catch (SealedArchive.DamagedException | Records.BackupFormatException e) {
      throw new NodeException("cannot restore: " + e.getMessage() + "; nothing was written", e);
    } catch (KeyFileException | StoreException e) {
      throw new NodeException("cannot restore: " + e.getMessage() + "; nothing was written", e);
    } catch (DirectoryNotEmptyException e) {
      throw new InvalidInputException(dir + " is not empty; restore needs a new or empty home");
    } catch (IOException e) {
      throw new NodeException("cannot restore: " + reason(e) + "; nothing was written", e);
    }
  }

  private static InputStream open(Path file) throws InvalidInputException {
    try {
      return Files.newInputStream(file);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + file + ": " + reason(e));
    }
  }

  private static void requireEmpty(Path dir) throws InvalidInputException {
    if (!Files.exists(dir)) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new InvalidInputException(dir + " is not a directory; restore needs a new or empty home");
    }
    try (Stream<Path> s = Files.list(dir)) {
      if (s.findAny().isPresent()) {
        throw new InvalidInputException(
            dir + " is not empty; restore needs a new or empty home (it never writes over a home)");
      }
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + dir + ": " + reason(e));
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
          Files.delete(f);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, @Nullable IOException e) throws IOException {
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException ignored) {
      // best effort: a leftover temporary directory holds only sealed data
    }
  }

  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
