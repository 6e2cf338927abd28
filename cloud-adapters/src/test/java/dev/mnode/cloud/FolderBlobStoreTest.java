package dev.mnode.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on a real folder, plus what only a folder can get wrong. */
class FolderBlobStoreTest extends BlobStoreContractTest {
  @TempDir Path dir;

  @Override
  protected BlobStore openEmptyStore() throws Exception {
    return BlobStores.open(dir.toUri(), BlobStoreOptions.defaults());
  }

  @Test
  void strayFilesAndTemporaries_areNotListed() throws Exception {
    assertTrue(store.putIfAbsent("k/1", new byte[] {1}));
    Files.writeString(dir.resolve("k/+tmp-leftover"), "partial");
    Files.writeString(dir.resolve("README.TXT"), "not ours");
    Files.writeString(dir.resolve("k/.DS_Store"), "not ours");
    assertEquals(List.of("k/1"), names(listAll("", 10)));
  }

  @Test
  void putIfAbsent_leavesNoTemporaryFiles() throws Exception {
    assertTrue(store.putIfAbsent("k/1", new byte[] {1}));
    assertTrue(!store.putIfAbsent("k/1", new byte[] {2}));
    try (var files = Files.list(dir.resolve("k"))) {
      assertEquals(List.of("1"), files.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void nameThatIsAFolderOfAnother_isAConflict() throws Exception {
    assertTrue(store.putIfAbsent("x/y", new byte[] {1}));
    BlobStoreException e =
        assertThrows(BlobStoreException.class, () -> store.putIfAbsent("x", new byte[] {2}));
    assertEquals(BlobStoreException.Reason.CONFLICT, e.reason());
    e = assertThrows(BlobStoreException.class, () -> store.putIfAbsent("x/y/z", new byte[] {3}));
    assertEquals(BlobStoreException.Reason.CONFLICT, e.reason());
  }

  @Test
  void missingFolder_isNotFoundAndNotCreated() {
    Path missing = dir.resolve("not-mounted");
    BlobStoreException e = assertThrows(BlobStoreException.class,
        () -> BlobStores.open(missing.toUri(), BlobStoreOptions.defaults()));
    assertEquals(BlobStoreException.Reason.NOT_FOUND, e.reason());
    assertTrue(!Files.exists(missing));
  }
}
