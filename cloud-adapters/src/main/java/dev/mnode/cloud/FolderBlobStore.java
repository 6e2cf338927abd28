package dev.mnode.cloud;

import dev.mnode.cloud.BlobStoreException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Blobs as files under a folder, for a relay on a mounted drive or a folder another program syncs.
 * A name's segments are its subfolders.
 *
 * <p>Writing: the bytes go to a temporary file in the target folder (a name outside the blob
 * alphabet, so listing never shows it), are forced to disk, and are then hard-linked to the final
 * name. Linking fails if the name exists, so put-if-absent is atomic among all writers sharing the
 * file system, and a reader sees either nothing or the whole blob. Where the file system has no
 * hard links (FAT, exFAT, some network shares) the store falls back to check-then-rename, which
 * two simultaneous writers of one name can both win; relay names are per-author, so that race
 * needs a device writing the same blob twice at once.
 *
 * <p>Deleting leaves empty folders in place: removing them would race with a writer about to
 * create a file in them. Thread-safe; holds no state besides the root.
 */
final class FolderBlobStore implements BlobStore {
  private static final String TEMP_PREFIX = "+tmp-";

  private final Path root;
  private volatile boolean linksUnsupported;

  /**
   * Opens a store on an existing folder.
   *
   * @throws BlobStoreException NOT_FOUND if the folder does not exist (a drive not mounted is
   *     better reported than silently replaced by an empty folder)
   */
  FolderBlobStore(Path root) throws BlobStoreException {
    if (!Files.isDirectory(root)) {
      throw new BlobStoreException(Reason.NOT_FOUND, "relay folder " + root + " does not exist");
    }
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public boolean putIfAbsent(String name, byte[] data) throws BlobStoreException {
    BlobNames.check(name);
    checkSize(data);
    Path target = pathOf(name);
    Path dir = target.getParent();
    Path temp = dir.resolve(TEMP_PREFIX + UUID.randomUUID());
    try {
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new FileAlreadyExistsException(target.toString());
      }
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
      Files.createDirectories(dir);
      writeDurably(temp, data);
      boolean written = publish(temp, target);
      if (written) {
        syncDirectory(dir);
      }
      return written;
    } catch (FileAlreadyExistsException | NotDirectoryException e) {
      throw new BlobStoreException(Reason.CONFLICT,
          "relay folder: " + name + " clashes with a blob that is a folder of it or contains it", e);
    } catch (IOException e) {
      throw ioError("write", name, e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // An orphan temporary file is invisible to list and harmless.
      }
    }
  }

  /** Gives {@code temp}'s content the name {@code target} unless it exists; true if it did. */
  private boolean publish(Path temp, Path target) throws IOException {
    if (!linksUnsupported) {
      try {
        Files.createLink(target, temp);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } catch (UnsupportedOperationException | FileSystemException e) {
        if (e instanceof NoSuchFileException || e instanceof AccessDeniedException) {
          throw e;
        }
        linksUnsupported = true; // fall through: this file system has no hard links
      }
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    return true;
  }

  private static void writeDurably(Path file, byte[] data) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(data);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }

  /** Makes the new directory entry durable; some platforms cannot open a folder, then skip. */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // Windows and some network file systems refuse; the data itself is already forced.
    }
  }

  @Override
  public Optional<byte[]> get(String name) throws BlobStoreException {
    BlobNames.check(name);
    Path file = pathOf(name);
    try {
      BasicFileAttributes attrs =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attrs.isRegularFile()) {
        return Optional.empty();
      }
      if (attrs.size() > MAX_BLOB_BYTES) {
        throw new BlobStoreException(Reason.CORRUPT, "relay folder: blob " + name + " has "
            + attrs.size() + " bytes, more than the limit of " + MAX_BLOB_BYTES);
      }
      return Optional.of(Files.readAllBytes(file));
    } catch (NoSuchFileException | NotDirectoryException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw ioError("read", name, e);
    }
  }

  @Override
  public Page list(String prefix, @Nullable String pageToken, int max) throws BlobStoreException {
    BlobNames.checkListing(prefix, pageToken, max);
    List<BlobInfo> out = new ArrayList<>();
    try {
      boolean more = walk(root, "", prefix, pageToken, max, out);
      String next = more ? out.get(out.size() - 1).name() : null;
      return new Page(out, next);
    } catch (IOException e) {
      throw ioError("list", prefix.isEmpty() ? "(all)" : prefix + "*", e);
    }
  }

  /**
   * Depth-first walk that visits names in ascending order: a folder {@code x} sorts as {@code x/},
   * which places it exactly where its names fall among its siblings. Subtrees entirely outside the
   * prefix or at or before the token are skipped without being read.
   *
   * @return true if the page filled up and more names may follow
   */
  private boolean walk(Path dir, String base, String prefix, @Nullable String after, int max,
      List<BlobInfo> out) throws IOException {
    TreeMap<String, Path> children = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path child : entries) {
        String segment = child.getFileName().toString();
        if (!BlobNames.isValid(segment)) {
          continue; // temporary files and anything that is not ours
        }
        boolean isDir = Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS);
        if (!isDir && !Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        children.put(base + segment + (isDir ? "/" : ""), child);
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return false; // removed while we walked
    }
    for (var e : children.entrySet()) {
      String key = e.getKey();
      boolean isDir = key.endsWith("/");
      if (!key.startsWith(prefix) && !(isDir && prefix.startsWith(key))) {
        continue;
      }
      if (after != null && key.compareTo(after) <= 0 && !(isDir && after.startsWith(key))) {
        continue;
      }
      if (isDir) {
        if (walk(e.getValue(), key, prefix, after, max, out)) {
          return true;
        }
      } else {
        if (out.size() == max) {
          return true;
        }
        long size;
        try {
          size = Files.size(e.getValue());
        } catch (NoSuchFileException gone) {
          continue;
        }
        out.add(new BlobInfo(key, size));
      }
    }
    return false;
  }

  @Override
  public void delete(String name) throws BlobStoreException {
    BlobNames.check(name);
    Path file = pathOf(name);
    try {
      if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw ioError("delete", name, e);
    }
  }

  @Override
  public void close() {}

  private Path pathOf(String name) {
    Path p = root.resolve(name).normalize();
    if (!p.startsWith(root) || p.equals(root)) {
      throw new IllegalArgumentException("blob name escapes the relay folder: " + name);
    }
    return p;
  }

  static void checkSize(byte[] data) {
    if (data.length > MAX_BLOB_BYTES) {
      throw new IllegalArgumentException(
          "blob of " + data.length + " bytes exceeds the limit of " + MAX_BLOB_BYTES);
    }
  }


  private BlobStoreException ioError(String op, String name, IOException e) {
    Reason reason = e instanceof AccessDeniedException ? Reason.DENIED
        : Files.isDirectory(root) ? Reason.IO : Reason.NOT_FOUND;
    String what = e instanceof AccessDeniedException ? "permission denied"
        : reason == Reason.NOT_FOUND ? "relay folder " + root + " is gone"
        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    return new BlobStoreException(reason, "relay folder: cannot " + op + " " + name + ": " + what, e);
  }
}
