package dev.mnode.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Relay URIs that cannot work are refused when opened, with a one-line message. */
class BlobStoresTest {
  private final BlobStoreOptions options = BlobStoreOptions.defaults()
      .withEnvironment(Map.of("AWS_ACCESS_KEY_ID", "id", "AWS_SECRET_ACCESS_KEY", "secret",
          "MNODE_DROPBOX_TOKEN", "token"));

  @Test
  void malformedUris_areIllegalArguments() {
    for (String uri : new String[] {"ftp://host/x", "relative/path", "s3://", "s3://Bad_Bucket/x",
        "s3://ab/x", "s3://bucket:9000/x", "s3://user@bucket/x", "s3://bucket/x?endpoint=y",
        "s3://bucket/a..b/%0A", "dropbox://host/x", "dropbox:relative", "file://host/dir",
        "dropbox:/a/../b", "s3://bucket/./x"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> BlobStores.open(URI.create(uri), options), uri);
      assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
    }
  }

  @Test
  void dropboxEndpoint_plainHttpOffThisMachine_isRefused() {
    BlobStoreOptions remote =
        options.withDropbox(null, URI.create("http://dropbox-proxy.example:8080"));
    BlobStoreException e = assertThrows(BlobStoreException.class,
        () -> BlobStores.open(URI.create("dropbox:/Relay"), remote));
    assertEquals(BlobStoreException.Reason.MISCONFIGURED, e.reason());
  }

  @Test
  void wellFormedUris_openWithoutNetwork() throws Exception {
    BlobStores.open(URI.create("s3://my-bucket/a/b/"), options).close();
    BlobStores.open(URI.create("s3://my-bucket"), options).close();
    BlobStores.open(URI.create("dropbox:/Apps/mnode%20relay"), options).close();
    BlobStores.open(URI.create("dropbox:/"), options).close();
  }
}
