package dev.mnode.node.relay;

import dev.mnode.cloud.BlobStoreOptions;
import dev.mnode.cloud.Secret;
import java.net.URI;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One configured relay: its URI ({@code file:/dir}, {@code s3://bucket/prefix}, {@code
 * dropbox:/path}), an optional endpoint (an S3-compatible server, or a Dropbox API stand-in) and
 * optional credentials kept in {@code relays.json} instead of the environment. {@link #toString}
 * never shows a credential. Immutable.
 *
 * @param uri the relay
 * @param endpoint where to send the store's API calls instead of the provider's default, or null
 * @param accessKeyId S3 access key id, or null for {@code AWS_ACCESS_KEY_ID}
 * @param secretAccessKey S3 secret key, or null for {@code AWS_SECRET_ACCESS_KEY}
 * @param dropboxToken Dropbox access token, or null for {@code MNODE_DROPBOX_TOKEN}
 */
public record Relay(
    URI uri,
    @Nullable URI endpoint,
    @Nullable String accessKeyId,
    @Nullable Secret secretAccessKey,
    @Nullable Secret dropboxToken) {

  /** A relay with credentials from the environment. */
  public static Relay of(URI uri, @Nullable URI endpoint) {
    return new Relay(uri, endpoint, null, null, null);
  }

  /** The options to open this relay's store with, reading credentials not given here from {@code env}. */
  public BlobStoreOptions options(Map<String, String> env) {
    BlobStoreOptions o = BlobStoreOptions.defaults().withEnvironment(env);
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    if (scheme.equals("s3")) {
      if (endpoint != null) {
        o = o.withS3Endpoint(endpoint, true); // self-hosted S3 servers want path-style addressing
      }
      if (accessKeyId != null && secretAccessKey != null) {
        o = o.withS3Credentials(accessKeyId, secretAccessKey, null);
      }
    } else if (scheme.equals("dropbox")) {
      o = o.withDropbox(dropboxToken, endpoint);
    }
    return o;
  }

  @Override
  public String toString() {
    return "Relay[" + uri + (endpoint == null ? "" : ", endpoint=" + endpoint) + "]";
  }
}
