package dev.mnode.cloud;

import com.dropbox.core.DbxHost;
import com.dropbox.core.DbxRequestConfig;
import com.dropbox.core.http.HttpRequestor;
import com.dropbox.core.http.StandardHttpRequestor;
import com.dropbox.core.v2.DbxClientV2;
import dev.mnode.cloud.BlobStoreException.Reason;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Opens a {@link BlobStore} from a relay URI; the only place that builds the implementations.
 * Opening makes no network call: the first operation does, and reports what is wrong with the
 * configuration (bucket, credentials, endpoint) as a {@link BlobStoreException}.
 */
public final class BlobStores {
  /** S3 bucket names: 3-63 of lowercase letters, digits, dots and hyphens. */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  /** A user-chosen key prefix or Dropbox folder: letters, digits and a few safe marks. */
  private static final Pattern FOLDER =
      Pattern.compile("(/(?!\\.{1,2}(/|$))[A-Za-z0-9._ -]+)*");

  private BlobStores() {}

  /**
   * Opens the store a relay URI names:
   *
   * <ul>
   *   <li>{@code file:/dir} (or {@code file:///dir}): a {@code FolderBlobStore} on an existing
   *       folder;
   *   <li>{@code s3://bucket} or {@code s3://bucket/prefix}: an {@code S3BlobStore};
   *   <li>{@code dropbox:/path} (or {@code dropbox:/} for the top): a {@code DropboxBlobStore}.
   * </ul>
   *
   * @throws IllegalArgumentException if the URI is malformed or of another scheme
   * @throws BlobStoreException NOT_FOUND for a missing folder, MISCONFIGURED for missing
   *     credentials or an unusable endpoint
   */
  public static BlobStore open(URI uri, BlobStoreOptions options) throws BlobStoreException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw badUri(uri, "no query or fragment expected");
    }
    return switch (scheme) {
      case "file" -> openFolder(uri);
      case "s3" -> openS3(uri, options);
      case "dropbox" -> openDropbox(uri, options);
      default -> throw badUri(uri, "expected file:/dir, s3://bucket/prefix or dropbox:/path");
    };
  }

  private static BlobStore openFolder(URI uri) throws BlobStoreException {
    if (uri.isOpaque() || uri.getPath() == null || uri.getPath().isEmpty()
        || (uri.getAuthority() != null && !uri.getAuthority().isEmpty())) {
      throw badUri(uri, "expected file:/absolute/dir");
    }
    return new FolderBlobStore(Path.of(uri));
  }

  private static BlobStore openS3(URI uri, BlobStoreOptions o) throws BlobStoreException {
    String bucket = uri.getHost();
    if (bucket == null || !BUCKET.matcher(bucket).matches() || uri.getUserInfo() != null
        || uri.getPort() != -1) {
      throw badUri(uri, "expected s3://bucket/prefix with a valid bucket name");
    }
    String path = uri.getPath() == null ? "" : stripTrailingSlashes(uri.getPath());
    if (!FOLDER.matcher(path).matches()) {
      throw badUri(uri, "the key prefix may hold letters, digits, '.', '_', '-' and '/'");
    }
    String keyPrefix = path.isEmpty() ? "" : path.substring(1) + "/";

    String accessKey = o.s3AccessKeyId() != null ? o.s3AccessKeyId() : o.env("AWS_ACCESS_KEY_ID");
    Secret secret = o.s3SecretAccessKey() != null ? o.s3SecretAccessKey()
        : secretFromEnv(o, "AWS_SECRET_ACCESS_KEY");
    Secret session = o.s3SessionToken() != null ? o.s3SessionToken()
        : secretFromEnv(o, "AWS_SESSION_TOKEN");
    if (accessKey == null || secret == null) {
      throw new BlobStoreException(Reason.MISCONFIGURED, "s3 relay " + bucket + ": no credentials;"
          + " set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or give them in the relay settings");
    }
    AwsCredentials credentials = session == null
        ? AwsBasicCredentials.create(accessKey, secret.reveal())
        : AwsSessionCredentials.create(accessKey, secret.reveal(), session.reveal());

    String region = firstNonNull(o.s3Region(), o.env("AWS_REGION"), o.env("AWS_DEFAULT_REGION"));
    URI endpoint = o.s3Endpoint();
    if (endpoint == null) {
      String fromEnv = firstNonNull(o.env("AWS_ENDPOINT_URL_S3"), o.env("AWS_ENDPOINT_URL"));
      endpoint = fromEnv == null ? null : URI.create(fromEnv);
    }
    if (endpoint != null) {
      checkEndpoint(endpoint, "s3 relay " + bucket);
    }

    // Explicit region, credentials and an empty profile file: the SDK must neither read
    // ~/.aws nor ask an instance metadata service, so it contacts only the configured endpoint.
    S3ClientBuilder b = S3Client.builder()
        .httpClient(UrlConnectionHttpClient.builder()
            .connectionTimeout(o.connectTimeout())
            .socketTimeout(o.readTimeout())
            .build())
        .region(Region.of(region == null ? "us-east-1" : region))
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .overrideConfiguration(ClientOverrideConfiguration.builder()
            .defaultProfileFileSupplier(() -> ProfileFile.aggregator().build())
            .build())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .forcePathStyle(o.s3PathStyle());
    if (endpoint != null) {
      b.endpointOverride(endpoint);
    }
    return new S3BlobStore(b.build(), bucket, keyPrefix);
  }

  private static BlobStore openDropbox(URI uri, BlobStoreOptions o) throws BlobStoreException {
    if (uri.isOpaque() || uri.getRawAuthority() != null) {
      throw badUri(uri, "expected dropbox:/path (a folder from the top of the Dropbox)");
    }
    String root = stripTrailingSlashes(uri.getPath() == null ? "" : uri.getPath());
    if (!FOLDER.matcher(root).matches()) {
      throw badUri(uri, "the folder may hold letters, digits, spaces, '.', '_', '-' and '/'");
    }
    Secret token = o.dropboxToken() != null ? o.dropboxToken()
        : secretFromEnv(o, "MNODE_DROPBOX_TOKEN");
    if (token == null) {
      throw new BlobStoreException(Reason.MISCONFIGURED, "dropbox relay " + root
          + ": no access token; set MNODE_DROPBOX_TOKEN or give it in the relay settings");
    }

    HttpRequestor requestor = new StandardHttpRequestor(StandardHttpRequestor.Config.builder()
        .withConnectTimeout(o.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .withReadTimeout(o.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .build());
    DbxHost host = DbxHost.DEFAULT;
    URI endpoint = o.dropboxEndpoint();
    if (endpoint != null) {
      checkEndpoint(endpoint, "dropbox relay " + root);
      String h = endpoint.getHost();
      host = new DbxHost(h, h, h, h);
      requestor = new EndpointRequestor(requestor, endpoint);
    }
    DbxRequestConfig config = DbxRequestConfig.newBuilder("mnode")
        .withHttpRequestor(requestor)
        .withAutoRetryEnabled(3)
        .build();
    return new DropboxBlobStore(new DbxClientV2(config, token.reveal(), host), root);
  }

  /** https anywhere; plain http only to this machine, so a token never crosses a network bare. */
  private static void checkEndpoint(URI endpoint, String where) throws BlobStoreException {
    String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme();
    boolean ok = endpoint.getHost() != null && endpoint.getUserInfo() == null
        && (endpoint.getPath() == null || endpoint.getPath().isEmpty()
            || endpoint.getPath().equals("/"))
        && (scheme.equals("https") || (scheme.equals("http") && isLoopback(endpoint.getHost())));
    if (!ok) {
      throw new BlobStoreException(Reason.MISCONFIGURED, where + ": endpoint " + endpoint
          + " must be https://host[:port], or http:// to this machine only");
    }
  }

  private static boolean isLoopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    if (!host.matches("[0-9.]+|\\[[0-9a-fA-F:]+\\]")) {
      return false; // only literal addresses: no name lookup here
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static @Nullable Secret secretFromEnv(BlobStoreOptions o, String name)
      throws BlobStoreException {
    String value = o.env(name);
    return value == null ? null : Secret.of(value);
  }

  @SafeVarargs
  private static <T> @Nullable T firstNonNull(@Nullable T... values) {
    for (T v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static String stripTrailingSlashes(String path) {
    int end = path.length();
    while (end > 0 && path.charAt(end - 1) == '/') {
      end--;
    }
    return path.substring(0, end);
  }

  private static IllegalArgumentException badUri(URI uri, String expected) {
    // A relay URI holds no secrets (credentials travel in options or the environment), but a
    // user might paste one into it anyway: show the scheme and host only.
    String shown = uri.getScheme() + ":" + (uri.getHost() != null ? "//" + uri.getHost() : "")
        + (uri.getRawPath() != null ? uri.getRawPath() : "");
    return new IllegalArgumentException("invalid relay URI " + shown + ": " + expected);
  }
}
