package dev.mnode.cloud;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Settings for {@link BlobStores#open}; each store reads only its own. Start from {@link
 * #defaults()} and change fields with the {@code with*} methods.
 *
 * <p>Credentials given here win over the environment. The environment is consulted only when a
 * store that needs credentials is opened, that is, only once the user configured that relay.
 *
 * @param environment where the environment variables are read from (normally {@link
 *     System#getenv()}); tests pass their own
 * @param s3Endpoint an S3-compatible endpoint (MinIO, Ceph, another provider), or null for AWS; also
 *     read from {@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL}
 * @param s3Region the signing region, or null for {@code AWS_REGION}, {@code AWS_DEFAULT_REGION},
 *     then {@code us-east-1}
 * @param s3PathStyle address the bucket in the path rather than the host name (most self-hosted
 *     servers need this)
 * @param s3AccessKeyId the access key id, or null for {@code AWS_ACCESS_KEY_ID}
 * @param s3SecretAccessKey the secret key, or null for {@code AWS_SECRET_ACCESS_KEY}
 * @param s3SessionToken a session token for temporary credentials, or null for {@code
 *     AWS_SESSION_TOKEN} (if set)
 * @param dropboxToken a Dropbox access token, or null for {@code MNODE_DROPBOX_TOKEN}
 * @param dropboxEndpoint where to send Dropbox API calls instead of Dropbox's hosts, or null; plain
 *     {@code http} is accepted for loopback addresses only (tests, a local proxy)
 * @param connectTimeout connection timeout for network stores
 * @param readTimeout read timeout for network stores
 */
public record BlobStoreOptions(
    Map<String, String> environment,
    @Nullable URI s3Endpoint,
    @Nullable String s3Region,
    boolean s3PathStyle,
    @Nullable String s3AccessKeyId,
    @Nullable Secret s3SecretAccessKey,
    @Nullable Secret s3SessionToken,
    @Nullable Secret dropboxToken,
    @Nullable URI dropboxEndpoint,
    Duration connectTimeout,
    Duration readTimeout) {

  public BlobStoreOptions {
    environment = Map.copyOf(environment);
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connect timeout must be positive: " + connectTimeout);
    }
    if (readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("read timeout must be positive: " + readTimeout);
    }
  }

  /** The process environment, AWS's endpoints, virtual-host addressing, 10 s / 60 s timeouts. */
  public static BlobStoreOptions defaults() {
    return new BlobStoreOptions(
        System.getenv(), null, null, false, null, null, null, null, null,
        Duration.ofSeconds(10), Duration.ofSeconds(60));
  }

  public BlobStoreOptions withEnvironment(Map<String, String> env) {
    return new BlobStoreOptions(env, s3Endpoint, s3Region, s3PathStyle, s3AccessKeyId,
        s3SecretAccessKey, s3SessionToken, dropboxToken, dropboxEndpoint, connectTimeout,
        readTimeout);
  }

  public BlobStoreOptions withS3Endpoint(@Nullable URI endpoint, boolean pathStyle) {
    return new BlobStoreOptions(environment, endpoint, s3Region, pathStyle, s3AccessKeyId,
        s3SecretAccessKey, s3SessionToken, dropboxToken, dropboxEndpoint, connectTimeout,
        readTimeout);
  }

  public BlobStoreOptions withS3Region(@Nullable String region) {
    return new BlobStoreOptions(environment, s3Endpoint, region, s3PathStyle, s3AccessKeyId,
        s3SecretAccessKey, s3SessionToken, dropboxToken, dropboxEndpoint, connectTimeout,
        readTimeout);
  }

  public BlobStoreOptions withS3Credentials(
      String accessKeyId, Secret secretAccessKey, @Nullable Secret sessionToken) {
    return new BlobStoreOptions(environment, s3Endpoint, s3Region, s3PathStyle, accessKeyId,
        secretAccessKey, sessionToken, dropboxToken, dropboxEndpoint, connectTimeout,
        readTimeout);
  }

  public BlobStoreOptions withDropbox(@Nullable Secret token, @Nullable URI endpoint) {
    return new BlobStoreOptions(environment, s3Endpoint, s3Region, s3PathStyle, s3AccessKeyId,
        s3SecretAccessKey, s3SessionToken, token, endpoint, connectTimeout, readTimeout);
  }

  public BlobStoreOptions withTimeouts(Duration connect, Duration read) {
    return new BlobStoreOptions(environment, s3Endpoint, s3Region, s3PathStyle, s3AccessKeyId,
        s3SecretAccessKey, s3SessionToken, dropboxToken, dropboxEndpoint, connect, read);
  }

  /** An environment variable, or null when unset or blank. */
  @Nullable String env(String name) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  @Override
  public String toString() {
    return "BlobStoreOptions[s3Endpoint=" + s3Endpoint + ", s3Region=" + s3Region
        + ", s3PathStyle=" + s3PathStyle + ", s3AccessKeyId=" + s3AccessKeyId
        + ", dropboxEndpoint=" + dropboxEndpoint + ", connectTimeout=" + connectTimeout
        + ", readTimeout=" + readTimeout + "]";
  }
}
