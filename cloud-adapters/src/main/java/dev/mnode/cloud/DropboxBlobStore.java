package dev.mnode.cloud;

import com.dropbox.core.DbxApiException;
import com.dropbox.core.DbxDownloader;
import com.dropbox.core.DbxException;
import com.dropbox.core.InvalidAccessTokenException;
import com.dropbox.core.NetworkIOException;
import com.dropbox.core.RateLimitException;
import com.dropbox.core.RetryException;
import com.dropbox.core.ServerException;
import com.dropbox.core.v2.DbxClientV2;
import com.dropbox.core.v2.files.DbxUserFilesRequests;
import com.dropbox.core.v2.files.DeleteErrorException;
import com.dropbox.core.v2.files.DownloadErrorException;
import com.dropbox.core.v2.files.FileMetadata;
import com.dropbox.core.v2.files.ListFolderErrorException;
import com.dropbox.core.v2.files.ListFolderResult;
import com.dropbox.core.v2.files.LookupError;
import com.dropbox.core.v2.files.Metadata;
import com.dropbox.core.v2.files.UploadErrorException;
import com.dropbox.core.v2.files.WriteConflictError;
import com.dropbox.core.v2.files.WriteError;
import com.dropbox.core.v2.files.WriteMode;
import dev.mnode.cloud.BlobStoreException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Blobs as files under a Dropbox folder, through the official SDK.
 *
 * <p>Put-if-absent uploads in {@code add} mode without autorename and with strict conflict
 * checking: Dropbox refuses the upload when any file has that path, even one with identical bytes,
 * and decides this on its side, so of several writers exactly one succeeds.
 *
 * <p>Listing reads the folder the prefix points into recursively ({@code list_folder}, then {@code
 * list_folder/continue} while it has more), then sorts and pages locally: Dropbox neither sorts
 * nor filters by name, so each page costs a walk of that folder. Blobs are a few per device per
 * sync round and compaction deletes old ones, which keeps the folder small.
 *
 * <p>Thread-safe: the SDK client is.
 */
final class DropboxBlobStore implements BlobStore {
  private final DbxUserFilesRequests files;
  private final String root;
  private final String rootLower;

  /**
   * @param root the folder holding the blobs: empty for the top of the app folder or account, else
   *     starting with {@code /} and not ending with one
   */
  DropboxBlobStore(DbxClientV2 client, String root) {
    if (!root.isEmpty() && (!root.startsWith("/") || root.endsWith("/"))) {
      throw new IllegalArgumentException("Dropbox folder must start and not end with '/': " + root);
    }
    this.files = client.files();
    this.root = root;
    this.rootLower = root.toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean putIfAbsent(String name, byte[] data) throws BlobStoreException {
    BlobNames.check(name);
    FolderBlobStore.checkSize(data);
    try {
      files.uploadBuilder(pathOf(name))
          .withMode(WriteMode.ADD)
          .withAutorename(false)
          .withStrictConflict(true)
          .withMute(true)
          .uploadAndFinish(new ByteArrayInputStream(data));
      return true;
    } catch (UploadErrorException e) {
      if (e.errorValue.isPath()) {
        WriteError reason = e.errorValue.getPathValue().getReason();
        if (reason.isConflict()) {
          if (reason.getConflictValue() == WriteConflictError.FILE) {
            return false;
          }
          throw new BlobStoreException(Reason.CONFLICT, where() + ": cannot write " + name
              + ": it clashes with a folder of that name or a file on its path", e);
        }
        if (reason.isNoWritePermission()) {
          throw new BlobStoreException(Reason.DENIED,
              where() + ": cannot write " + name + ": no write permission", e);
        }
        if (reason.isInsufficientSpace()) {
          throw new BlobStoreException(Reason.UNAVAILABLE,
              where() + ": cannot write " + name + ": the Dropbox account is full", e);
        }
      }
      throw apiError("write", name, tags(e.errorValue.tag(),
          e.errorValue.isPath() ? e.errorValue.getPathValue().getReason().tag() : null), e);
    } catch (DbxException e) {
      throw error("write", name, e);
    } catch (IOException e) {
      throw new BlobStoreException(Reason.IO,
          where() + ": cannot write " + name + ": " + e.getClass().getSimpleName(), e);
    }
  }

  @Override
  public Optional<byte[]> get(String name) throws BlobStoreException {
    BlobNames.check(name);
    try (DbxDownloader<FileMetadata> d = files.download(pathOf(name))) {
      long size = d.getResult().getSize();
      if (size > MAX_BLOB_BYTES) {
        throw tooLarge(name, size);
      }
      byte[] data = d.getInputStream().readNBytes(MAX_BLOB_BYTES + 1);
      if (data.length > MAX_BLOB_BYTES) {
        throw tooLarge(name, data.length);
      }
      return Optional.of(data);
    } catch (DownloadErrorException e) {
      if (e.errorValue.isPath() && isAbsent(e.errorValue.getPathValue())) {
        return Optional.empty();
      }
      throw apiError("read", name, tags(e.errorValue.tag(),
          e.errorValue.isPath() ? e.errorValue.getPathValue().tag() : null), e);
    } catch (DbxException e) {
      throw error("read", name, e);
    } catch (IOException e) {
      throw BlobNames.cutOff(where(), name, e);
    }
  }

  @Override
  public Page list(String prefix, @Nullable String pageToken, int max) throws BlobStoreException {
    BlobNames.checkListing(prefix, pageToken, max);
    int slash = prefix.lastIndexOf('/');
    String folder = slash < 0 ? root : root + "/" + prefix.substring(0, slash);
    List<BlobInfo> all = new ArrayList<>();
    try {
      ListFolderResult r = files.listFolderBuilder(folder).withRecursive(true).start();
      while (true) {
        for (Metadata m : r.getEntries()) {
          if (m instanceof FileMetadata f) {
            String name = nameOf(f);
            if (name != null && name.startsWith(prefix)
                && (pageToken == null || name.compareTo(pageToken) > 0)) {
              all.add(new BlobInfo(name, f.getSize()));
            }
          }
        }
        if (!r.getHasMore()) {
          break;
        }
        r = files.listFolderContinue(r.getCursor());
      }
    } catch (ListFolderErrorException e) {
      if (e.errorValue.isPath() && isAbsent(e.errorValue.getPathValue())) {
        return new Page(List.of(), null); // nothing written under this folder yet
      }
      throw apiError("list", prefix + "*", tags(e.errorValue.tag(),
          e.errorValue.isPath() ? e.errorValue.getPathValue().tag() : null), e);
    } catch (DbxException e) {
      throw error("list", prefix + "*", e);
    }
    all.sort((a, b) -> a.name().compareTo(b.name()));
    if (all.size() <= max) {
      return new Page(all, null);
    }
    List<BlobInfo> page = all.subList(0, max);
    return new Page(page, page.get(max - 1).name());
  }

  /** The blob name of a listed file, or null if it is not under the root or not a valid name. */
  private @Nullable String nameOf(FileMetadata f) {
    String lower = f.getPathLower();
    if (lower == null || !lower.startsWith(rootLower + "/")) {
      return null;
    }
    String name = lower.substring(rootLower.length() + 1);
    return BlobNames.isValid(name) ? name : null;
  }

  @Override
  public void delete(String name) throws BlobStoreException {
    BlobNames.check(name);
    try {
      files.deleteV2(pathOf(name));
    } catch (DeleteErrorException e) {
      if (e.errorValue.isPathLookup() && isAbsent(e.errorValue.getPathLookupValue())) {
        return;
      }
      throw apiError("delete", name, tags(e.errorValue.tag(),
          e.errorValue.isPathLookup() ? e.errorValue.getPathLookupValue().tag() : null), e);
    } catch (DbxException e) {
      throw error("delete", name, e);
    }
  }

  @Override
  public void close() {
    // The SDK's HttpURLConnection-based requestor holds nothing that needs closing.
  }

  private String pathOf(String name) {
    return root + "/" + name;
  }

  private static boolean isAbsent(LookupError e) {
    return e.isNotFound() || e.isNotFile() || e.isNotFolder();
  }

  private String where() {
    return "dropbox relay " + (root.isEmpty() ? "/" : root);
  }

  private BlobStoreException tooLarge(String name, long length) {
    return new BlobStoreException(Reason.CORRUPT, where() + ": blob " + name + " has " + length
        + " bytes, more than the limit of " + MAX_BLOB_BYTES);
  }

  /** An error answer of one endpoint, named by Dropbox's tags, e.g. {@code path/locked}. */
  private BlobStoreException apiError(String op, String name, String tags, DbxApiException e) {
    return new BlobStoreException(
        Reason.IO, where() + ": cannot " + op + " " + name + ": refused (" + tags + ")", e);
  }

  private static String tags(Enum<?> outer, @Nullable Enum<?> inner) {
    String t = outer.name().toLowerCase(Locale.ROOT);
    return inner == null ? t : t + "/" + inner.name().toLowerCase(Locale.ROOT);
  }

  /** A failure below the endpoint: token, network, throttling, server. Never names the token. */
  private BlobStoreException error(String op, String name, DbxException e) {
    String prefix = where() + ": cannot " + op + " " + name + ": ";
    if (e instanceof InvalidAccessTokenException) {
      return new BlobStoreException(Reason.DENIED,
          prefix + "the access token was refused (expired or revoked)", e);
    }
    if (e instanceof com.dropbox.core.AccessErrorException) {
      return new BlobStoreException(Reason.DENIED, prefix + "the app lacks this permission", e);
    }
    if (e instanceof NetworkIOException) {
      return new BlobStoreException(Reason.UNAVAILABLE, prefix + "cannot reach Dropbox ("
          + (e.getCause() == null ? "network error" : e.getCause().getClass().getSimpleName())
          + ")", e);
    }
    if (e instanceof RateLimitException || e instanceof RetryException
        || e instanceof ServerException) {
      return new BlobStoreException(Reason.UNAVAILABLE,
          prefix + "Dropbox is busy or failing (" + e.getClass().getSimpleName() + ")", e);
    }
    return new BlobStoreException(Reason.IO, prefix + e.getClass().getSimpleName(), e);
  }
}
