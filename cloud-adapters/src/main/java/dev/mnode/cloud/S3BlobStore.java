package dev.mnode.cloud;

import dev.mnode.cloud.BlobStoreException.Reason;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs as objects under a key prefix of an S3 (or S3-compatible) bucket.
 *
 * <p>Put-if-absent sends {@code If-None-Match: *}, which AWS S3 and recent S3-compatible servers
 * evaluate atomically: of several writers of one key exactly one succeeds and the others get 412.
 * A server that answers 501 (not implemented) switches this store, for its lifetime, to a HEAD
 * followed by a plain PUT; two writers racing between those steps can both succeed and the later
 * one's bytes win. A server that ignores the header altogether cannot be detected and overwrites.
 * Relay names are per-author and a bundle's bytes are fixed once sealed, so either race needs one
 * device to write the same blob twice at once and replaces it with identical content.
 *
 * <p>The SDK retries a request whose answer was lost (a dropped connection); if the lost attempt
 * had written the object, the retry meets 412. A 412 after a retry is therefore checked: if the
 * object's ETag is the MD5 of our bytes, the write is reported as ours.
 *
 * <p>Thread-safe: the SDK client is.
 */
final class S3BlobStore implements BlobStore {
  /** How often a put answered with 409 (a concurrent conditional write in flight) is retried. */
  private static final int CONFLICT_RETRIES = 5;

  private final S3Client s3;
  private final String bucket;
  private final String keyPrefix;
  private volatile boolean conditionalPutUnsupported;

  /**
   * @param keyPrefix empty or ending with {@code /}; blob names are appended to it
   */
  S3BlobStore(S3Client s3, String bucket, String keyPrefix) {
    if (!keyPrefix.isEmpty() && !keyPrefix.endsWith("/")) {
      throw new IllegalArgumentException("key prefix must end with '/': " + keyPrefix);
    }
    this.s3 = s3;
    this.bucket = bucket;
    this.keyPrefix = keyPrefix;
  }

  @Override
  public boolean putIfAbsent(String name, byte[] data) throws BlobStoreException {
    BlobNames.check(name);
    FolderBlobStore.checkSize(data);
    String key = keyPrefix + name;
    for (int attempt = 0; ; attempt++) {
      if (conditionalPutUnsupported) {
        return headThenPut(name, key, data);
      }
      try {
        s3.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*"), RequestBody.fromBytes(data));
        return true;
      } catch (S3Exception e) {
        if (e.statusCode() == 412) {
          return e.numAttempts() != null && e.numAttempts() > 1 && holdsExactly(key, data);
        }
        if (e.statusCode() == 501) {
          conditionalPutUnsupported = true;
          continue;
        }
        if (e.statusCode() == 409 && attempt < CONFLICT_RETRIES) {
          sleepBeforeRetry(attempt);
          continue;
        }
        throw error("write", name, e);
      } catch (SdkException e) {
        throw error("write", name, e);
      }
    }
  }

  /**
   * After the SDK retried a conditional put that then met 412: whether the object holds exactly
   * {@code data}, i.e. an earlier attempt of this very call landed before its answer was lost.
   * Compares S3's ETag, the MD5 of a single-part object's bytes.
   */
  private boolean holdsExactly(String key, byte[] data) {
    try {
      String etag = s3.headObject(b -> b.bucket(bucket).key(key)).eTag();
      String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
      return etag != null && etag.replace("\"", "").equalsIgnoreCase(md5);
    } catch (SdkException | NoSuchAlgorithmException e) {
      return false;
    }
  }

  private boolean headThenPut(String name, String key, byte[] data) throws BlobStoreException {
    try {
      s3.headObject(b -> b.bucket(bucket).key(key));
      return false;
    } catch (NoSuchKeyException e) {
      // absent: write below
    } catch (S3Exception e) {
      if (e.statusCode() != 404 || isNoSuchBucket(e)) {
        throw error("check", name, e);
      }
    } catch (SdkException e) {
      throw error("check", name, e);
    }
    try {
      s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(data));
      return true;
    } catch (SdkException e) {
      throw error("write", name, e);
    }
  }

  @Override
  public Optional<byte[]> get(String name) throws BlobStoreException {
    BlobNames.check(name);
    try (ResponseInputStream<GetObjectResponse> in =
        s3.getObject(b -> b.bucket(bucket).key(keyPrefix + name))) {
      Long length = in.response().contentLength();
      if (length != null && length > MAX_BLOB_BYTES) {
        in.abort();
        throw tooLarge(name, length);
      }
      byte[] data = in.readNBytes(MAX_BLOB_BYTES + 1);
      if (data.length > MAX_BLOB_BYTES) {
        in.abort();
        throw tooLarge(name, data.length);
      }
      return Optional.of(data);
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404 && !isNoSuchBucket(e)) {
        return Optional.empty();
      }
      throw error("read", name, e);
    } catch (SdkException e) {
      throw error("read", name, e);
    } catch (IOException e) {
      throw BlobNames.cutOff(where(), name, e);
    }
  }

  @Override
  public Page list(String prefix, @Nullable String pageToken, int max) throws BlobStoreException {
    BlobNames.checkListing(prefix, pageToken, max);
    List<BlobInfo> out = new ArrayList<>();
    String startAfter = pageToken == null ? null : keyPrefix + pageToken;
    try {
      // Keys that are not blob names (written by something else) are skipped, so one response
      // may not fill the page; each round moves startAfter forward, so this ends.
      while (true) {
        String from = startAfter;
        int want = max - out.size();
        ListObjectsV2Response r = s3.listObjectsV2(b -> b.bucket(bucket)
            .prefix(keyPrefix + prefix).startAfter(from).maxKeys(want));
        for (S3Object o : r.contents()) {
          startAfter = o.key();
          String name = o.key().substring(keyPrefix.length());
          if (BlobNames.isValid(name)) {
            out.add(new BlobInfo(name, o.size() == null ? 0 : o.size()));
          }
        }
        boolean truncated = Boolean.TRUE.equals(r.isTruncated()) && !r.contents().isEmpty();
        if (!truncated) {
          return new Page(out, null);
        }
        if (out.size() == max) {
          return new Page(out, out.get(out.size() - 1).name());
        }
      }
    } catch (SdkException e) {
      throw error("list", prefix.isEmpty() ? "(all)" : prefix + "*", e);
    }
  }

  @Override
  public void delete(String name) throws BlobStoreException {
    BlobNames.check(name);
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(keyPrefix + name));
    } catch (NoSuchKeyException e) {
      // already gone: some S3-compatible servers say so instead of answering 204
    } catch (SdkException e) {
      throw error("delete", name, e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }

  private String where() {
    return "s3 relay " + bucket + "/" + keyPrefix;
  }

  private BlobStoreException tooLarge(String name, long length) {
    return new BlobStoreException(Reason.CORRUPT, where() + ": blob " + name + " has " + length
        + " bytes, more than the limit of " + MAX_BLOB_BYTES);
  }

  private static boolean isNoSuchBucket(S3Exception e) {
    return "NoSuchBucket".equals(errorCode(e));
  }

  private static @Nullable String errorCode(S3Exception e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  /**
   * A one-line error built from the status and the service's error code only: the SDK's own
   * messages are multi-line and carry request ids, and none of them is worth risking a credential.
   */
  private BlobStoreException error(String op, String name, SdkException e) {
    String prefix = where() + ": cannot " + op + " " + name + ": ";
    if (e instanceof S3Exception s) {
      int status = s.statusCode();
      String code = errorCode(s);
      String detail = (code == null || code.isEmpty() ? "" : code + ", ") + "HTTP " + status;
      if (status == 401 || status == 403) {
        return new BlobStoreException(Reason.DENIED,
            prefix + "credentials refused or lacking permission (" + detail + ")", e);
      }
      if ("NoSuchBucket".equals(code) || (status == 404 && !op.equals("read"))) {
        return new BlobStoreException(Reason.NOT_FOUND,
            prefix + "bucket " + bucket + " does not exist (" + detail + ")", e);
      }
      if (status >= 500 || status == 429) {
        return new BlobStoreException(Reason.UNAVAILABLE,
            prefix + "the service is unavailable (" + detail + ")", e);
      }
      if (status == 409) {
        return new BlobStoreException(Reason.CONFLICT,
            prefix + "conflicting writes did not settle (" + detail + ")", e);
      }
      return new BlobStoreException(Reason.IO, prefix + "request refused (" + detail + ")", e);
    }
    if (e instanceof SdkClientException) {
      return new BlobStoreException(Reason.UNAVAILABLE,
          prefix + "cannot reach the service (" + rootCause(e) + ")", e);
    }
    return new BlobStoreException(Reason.IO, prefix + e.getClass().getSimpleName(), e);
  }

  /** The innermost cause's class, e.g. ConnectException: names no host, key or secret. */
  private static String rootCause(Throwable t) {
    Throwable c = t;
    for (int i = 0; i < 10 && c.getCause() != null; i++) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName();
  }

  private static void sleepBeforeRetry(int attempt) throws BlobStoreException {
    try {
      Thread.sleep(50L << Math.min(attempt, 4));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BlobStoreException(Reason.UNAVAILABLE, "interrupted while retrying a write", e);
    }
  }

  /** For tests: whether this store fell back to HEAD-then-PUT. */
  boolean usesHeadThenPut() {
    return conditionalPutUnsupported;
  }

}
