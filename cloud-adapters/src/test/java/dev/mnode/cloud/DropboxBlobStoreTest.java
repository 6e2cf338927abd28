package dev.mnode.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract through the official Dropbox SDK against {@link DropboxStandInServer}, a local
 * stand-in for Dropbox's API, NOT Dropbox itself: it proves the store drives the SDK correctly and
 * reads its answers and errors right, as far as the stand-in matches Dropbox's documented
 * behaviour. Each test gets its own folder.
 */
class DropboxBlobStoreTest extends BlobStoreContractTest {
  private static final String TOKEN = "sl.dropbox-token-that-must-never-be-printed";
  private static DropboxStandInServer server;
  private static final AtomicInteger folders = new AtomicInteger();

  @BeforeAll
  static void startServer() throws Exception {
    server = new DropboxStandInServer(TOKEN);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  private static BlobStoreOptions options(String token) {
    return BlobStoreOptions.defaults()
        .withEnvironment(Map.of())
        .withDropbox(Secret.of(token), server.endpoint());
  }

  @Override
  protected BlobStore openEmptyStore() throws Exception {
    return BlobStores.open(URI.create("dropbox:/Relay/t" + folders.incrementAndGet()),
        options(TOKEN));
  }

  @Test
  void listing_spansSeveralListFolderContinuePages() throws Exception {
    int n = DropboxStandInServer.PAGE * 3 + 4;
    for (int i = 0; i < n; i++) {
      assertTrue(store.putIfAbsent(String.format("p/%03d", i), new byte[] {(byte) i}));
    }
    assertEquals(n, listAll("p/", 1000).size());
  }

  @Test
  void tokenFromTheEnvironment_isUsedWhenOptionsHaveNone() throws Exception {
    BlobStoreOptions fromEnv = BlobStoreOptions.defaults()
        .withEnvironment(Map.of("MNODE_DROPBOX_TOKEN", TOKEN))
        .withDropbox(null, server.endpoint());
    try (BlobStore s = BlobStores.open(URI.create("dropbox:/Relay/env"), fromEnv)) {
      assertTrue(s.putIfAbsent("e/1", new byte[] {1}));
      assertFalse(s.putIfAbsent("e/1", new byte[] {1}));
    }
  }

  @Test
  void wrongToken_isDeniedInOneLineWithoutTheToken() throws Exception {
    String wrong = "sl.wrong-token-that-must-never-be-printed";
    try (BlobStore s = BlobStores.open(URI.create("dropbox:/Relay/x"), options(wrong))) {
      BlobStoreException e = assertThrows(BlobStoreException.class, () -> s.get("a"));
      assertEquals(BlobStoreException.Reason.DENIED, e.reason(), e.getMessage());
      S3ErrorsTest.assertCleanMessage(e, wrong);
      e = assertThrows(BlobStoreException.class, () -> s.putIfAbsent("a", new byte[] {1}));
      assertEquals(BlobStoreException.Reason.DENIED, e.reason(), e.getMessage());
      S3ErrorsTest.assertCleanMessage(e, wrong);
    }
  }

  @Test
  void nameThatIsAFolderOfAnother_isAConflict() throws Exception {
    assertTrue(store.putIfAbsent("x/y", new byte[] {1}));
    BlobStoreException e =
        assertThrows(BlobStoreException.class, () -> store.putIfAbsent("x", new byte[] {2}));
    assertEquals(BlobStoreException.Reason.CONFLICT, e.reason(), e.getMessage());
  }

  @Test
  void noToken_isMisconfiguredBeforeAnyRequest() {
    BlobStoreOptions none = BlobStoreOptions.defaults().withEnvironment(Map.of());
    BlobStoreException e = assertThrows(BlobStoreException.class,
        () -> BlobStores.open(URI.create("dropbox:/Relay"), none));
    assertEquals(BlobStoreException.Reason.MISCONFIGURED, e.reason());
    assertTrue(e.getMessage().contains("MNODE_DROPBOX_TOKEN"), e.getMessage());
  }
}
