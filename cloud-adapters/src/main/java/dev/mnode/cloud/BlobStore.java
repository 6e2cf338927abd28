package dev.mnode.cloud;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A flat namespace of immutable blobs at a relay: a folder, an S3 bucket prefix or a Dropbox
 * folder. Devices upload each sealed bundle once under an opaque name and list and fetch the
 * others'; a blob is never overwritten, only deleted.
 *
 * <p>Names follow {@link BlobNames}: lowercase letters, digits, {@code . _ -} and {@code /} between
 * segments. A name that breaks the rules is refused with {@link IllegalArgumentException} before
 * anything reaches the store. A name must not also be a folder of another name ({@code a} and
 * {@code a/b}): the folder and Dropbox stores cannot hold both, and refuse the second with {@link
 * BlobStoreException.Reason#CONFLICT}.
 *
 * <p>Implementations are thread-safe. Every failure of the store itself (missing bucket, refused
 * credentials, network down, a blob too large to be ours) is a {@link BlobStoreException} whose
 * message is one line and never contains a credential.
 */
public interface BlobStore extends AutoCloseable {

  /** The largest blob a store writes or reads: 32 MiB. Sealed bundles are far smaller. */
  int MAX_BLOB_BYTES = 32 * 1024 * 1024;

  /** The most entries one {@link #list} call returns. */
  int MAX_PAGE_SIZE = 1000;

  /**
   * Writes {@code data} under {@code name} unless a blob of that name exists. Readers never see a
   * partly written blob. Whether two devices racing on one name can both be told {@code true}
   * depends on the store; see the package documentation.
   *
   * @return true if this call wrote the blob, false if one of that name was already there (its
   *     content is left as it was, whatever it is)
   * @throws IllegalArgumentException if the name is invalid or {@code data} exceeds {@link
   *     #MAX_BLOB_BYTES}
   */
  boolean putIfAbsent(String name, byte[] data) throws BlobStoreException;

  /**
   * Reads a whole blob.
   *
   * @return the blob's bytes, or empty if there is no blob of that name
   * @throws BlobStoreException with {@code CORRUPT} if the stored blob exceeds {@link
   *     #MAX_BLOB_BYTES}
   */
  Optional<byte[]> get(String name) throws BlobStoreException;

  /**
   * Lists blobs whose names start with {@code prefix}, in ascending name order (names are ASCII, so
   * this is also byte order), at most {@code max} of them, after the position given by {@code
   * pageToken}.
   *
   * @param prefix any string of the name alphabet, possibly empty; it need not end at a {@code /}
   * @param pageToken null for the first page, else {@link Page#nextToken()} of the previous page
   *     (with the same prefix)
   * @param max 1 to {@link #MAX_PAGE_SIZE}
   * @return the page; its next token is null when nothing follows. A page with a token may be
   *     followed by an empty last page.
   */
  Page list(String prefix, @Nullable String pageToken, int max) throws BlobStoreException;

  /** Deletes a blob; deleting a name that does not exist succeeds and does nothing. */
  void delete(String name) throws BlobStoreException;

  /** Releases connections and threads; the store is unusable afterwards. */
  @Override
  void close();
}
