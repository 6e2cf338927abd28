package dev.mnode.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** What a user sees when the S3 relay is misconfigured: one line, a reason, no secret. */
class S3ErrorsTest {
  private static S3TestServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = new S3TestServer();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  private static final String WRONG_SECRET = "wr0ng-s3cret-that-must-never-be-printed";

  @Test
  void wrongSecretKey_isDeniedInOneLineWithoutTheSecret() throws Exception {
    BlobStoreOptions wrong = server.options()
        .withS3Credentials(S3TestServer.ACCESS_KEY, Secret.of(WRONG_SECRET), null);
    try (BlobStore s = BlobStores.open(URI.create("s3://" + S3TestServer.BUCKET + "/x"), wrong)) {
      for (Executable op : new Executable[] {
          () -> s.putIfAbsent("a", new byte[] {1}), () -> s.get("a"),
          () -> s.list("", null, 10), () -> s.delete("a")}) {
        BlobStoreException e = assertThrows(BlobStoreException.class, op);
        assertEquals(BlobStoreException.Reason.DENIED, e.reason(), e.getMessage());
        assertCleanMessage(e, WRONG_SECRET);
      }
    }
  }

  @Test
  void unknownAccessKey_isDenied() throws Exception {
    BlobStoreOptions unknown = server.options()
        .withS3Credentials("nobody", Secret.of(WRONG_SECRET), null);
    try (BlobStore s = BlobStores.open(URI.create("s3://" + S3TestServer.BUCKET + "/x"), unknown)) {
      BlobStoreException e = assertThrows(BlobStoreException.class, () -> s.get("a"));
      assertEquals(BlobStoreException.Reason.DENIED, e.reason(), e.getMessage());
      assertCleanMessage(e, WRONG_SECRET);
    }
  }

  @Test
  void missingBucket_isNotFoundInOneLineWithoutTheSecret() throws Exception {
    // Delete is left out: S3Proxy answers a delete in a missing bucket with success.
    try (BlobStore s = BlobStores.open(URI.create("s3://no-such-bucket/x"), server.options())) {
      for (Executable op : new Executable[] {
          () -> s.putIfAbsent("a", new byte[] {1}), () -> s.get("a"),
          () -> s.list("", null, 10)}) {
        BlobStoreException e = assertThrows(BlobStoreException.class, op);
        assertEquals(BlobStoreException.Reason.NOT_FOUND, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("no-such-bucket"), e.getMessage());
        assertCleanMessage(e, S3TestServer.SECRET_KEY);
      }
    }
  }

  @Test
  void unreachableEndpoint_isUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    BlobStoreOptions nowhere = server.options()
        .withS3Endpoint(URI.create("http://127.0.0.1:" + closedPort), true)
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));
    try (BlobStore s = BlobStores.open(URI.create("s3://" + S3TestServer.BUCKET), nowhere)) {
      BlobStoreException e = assertThrows(BlobStoreException.class, () -> s.get("a"));
      assertEquals(BlobStoreException.Reason.UNAVAILABLE, e.reason(), e.getMessage());
      assertCleanMessage(e, S3TestServer.SECRET_KEY);
    }
  }

  @Test
  void noCredentials_isMisconfiguredBeforeAnyRequest() {
    BlobStoreOptions none = BlobStoreOptions.defaults().withEnvironment(Map.of());
    BlobStoreException e = assertThrows(BlobStoreException.class,
        () -> BlobStores.open(URI.create("s3://bucket/prefix"), none));
    assertEquals(BlobStoreException.Reason.MISCONFIGURED, e.reason());
    assertTrue(e.getMessage().contains("AWS_ACCESS_KEY_ID"), e.getMessage());
  }

  @Test
  void plainHttpEndpointOffThisMachine_isRefused() {
    BlobStoreOptions remote = server.options()
        .withS3Endpoint(URI.create("http://s3.example.com"), true);
    BlobStoreException e = assertThrows(BlobStoreException.class,
        () -> BlobStores.open(URI.create("s3://bucket/prefix"), remote));
    assertEquals(BlobStoreException.Reason.MISCONFIGURED, e.reason());
  }

  /** One line, and the secret appears nowhere: not in the message, not in any cause. */
  static void assertCleanMessage(BlobStoreException e, String secret) {
    assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), e.getMessage());
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertFalse(trace.toString().contains(secret), "secret in the stack trace of " + e);
  }
}
