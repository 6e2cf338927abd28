package dev.mnode.cloud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract against a real S3 server (S3Proxy) in process; each test gets its own prefix. */
class S3BlobStoreTest extends BlobStoreContractTest {
  private static S3TestServer server;
  private static final AtomicInteger prefixes = new AtomicInteger();

  @BeforeAll
  static void startServer() throws Exception {
    server = new S3TestServer();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Override
  protected BlobStore openEmptyStore() throws Exception {
    URI uri = URI.create("s3://" + S3TestServer.BUCKET + "/t" + prefixes.incrementAndGet());
    return BlobStores.open(uri, server.options());
  }

  @Test
  void conditionalPut_isEvaluatedByTheServer_notByHeadThenPut() throws Exception {
    assertTrue(store.putIfAbsent("c/1", new byte[] {1}));
    assertFalse(store.putIfAbsent("c/1", new byte[] {2}));
    assertFalse(((S3BlobStore) store).usesHeadThenPut());
  }

  @Test
  void storesUnderItsPrefixOnly() throws Exception {
    try (BlobStore other = openEmptyStore()) {
      assertTrue(store.putIfAbsent("shared-name", new byte[] {1}));
      assertTrue(other.putIfAbsent("shared-name", new byte[] {2}));
      assertArrayEquals(new byte[] {1}, store.get("shared-name").orElseThrow());
      assertEquals(List.of("shared-name"), names(other.list("", null, 10).blobs()));
    }
  }

  @Test
  void credentialsFromTheEnvironment_areUsedWhenOptionsHaveNone() throws Exception {
    BlobStoreOptions fromEnv = BlobStoreOptions.defaults()
        .withEnvironment(java.util.Map.of(
            "AWS_ACCESS_KEY_ID", S3TestServer.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY", S3TestServer.SECRET_KEY,
            "AWS_ENDPOINT_URL_S3", server.endpoint.toString()))
        .withS3Endpoint(null, true);
    URI uri = URI.create("s3://" + S3TestServer.BUCKET + "/env" + prefixes.incrementAndGet());
    try (BlobStore s = BlobStores.open(uri, fromEnv)) {
      assertTrue(s.putIfAbsent("e/1", new byte[] {7}));
      assertArrayEquals(new byte[] {7}, s.get("e/1").orElseThrow());
    }
  }
}
