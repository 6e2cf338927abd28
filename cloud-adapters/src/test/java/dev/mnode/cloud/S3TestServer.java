package dev.mnode.cloud;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server (S3Proxy over a store in a temporary folder) on 127.0.0.1, with one bucket.
 * Shared with the node's relay tests through this module's test jar.
 */
public final class S3TestServer implements AutoCloseable {
  public static final String ACCESS_KEY = "mnode-test-access";
  public static final String SECRET_KEY = "s3cr3t-K3y-that-must-never-be-printed";
  public static final String BUCKET = "relay-test";

  private final S3Proxy proxy;
  private final Path baseDir;
  public final URI endpoint;

  public S3TestServer() throws Exception {
    // The on-disk store: S3Proxy 4.1.0's in-memory store answered some conditional puts of
    // absent keys with 412 in our runs, which would hide our own mistakes behind its.
    baseDir = Files.createTempDirectory("s3proxy-");
    Properties props = new Properties();
    props.setProperty("jclouds.filesystem.basedir", baseDir.toString());
    proxy = S3Proxy.builder()
        .blobStore(org.gaul.s3proxy.BlobStores.create("filesystem", props))
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    for (int i = 0; i < 100 && !"STARTED".equals(proxy.getState()); i++) {
      Thread.sleep(20);
    }
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    try (S3Client admin = S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build()) {
      admin.createBucket(b -> b.bucket(BUCKET));
    }
  }

  /** Options reaching this server with the right credentials and no environment. */
  public BlobStoreOptions options() {
    return BlobStoreOptions.defaults()
        .withEnvironment(java.util.Map.of())
        .withS3Endpoint(endpoint, true)
        .withS3Credentials(ACCESS_KEY, Secret.of(SECRET_KEY), null);
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    try (var paths = Files.walk(baseDir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
