package dev.mnode.cloud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link BlobStore} promises. Each backend's test only says how to open a
 * fresh, empty store; every test here then runs against it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class BlobStoreContractTest {

  /** Opens a store that holds no blobs and shares nothing with stores opened before. */
  protected abstract BlobStore openEmptyStore() throws Exception;

  protected BlobStore store;

  @BeforeEach
  void openStore() throws Exception {
    store = openEmptyStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void putIfAbsent_secondPutOfSameName_isRefusedAndKeepsTheFirst() throws Exception {
    assertTrue(store.putIfAbsent("dev1/b/0001", bytes("first")));
    assertFalse(store.putIfAbsent("dev1/b/0001", bytes("second")));
    assertArrayEquals(bytes("first"), store.get("dev1/b/0001").orElseThrow());
  }

  @Test
  void putIfAbsent_identicalBytesTwice_secondIsStillRefused() throws Exception {
    assertTrue(store.putIfAbsent("same", bytes("payload")));
    assertFalse(store.putIfAbsent("same", bytes("payload")));
  }

  @Test
  void get_missingName_isEmpty() throws Exception {
    assertTrue(store.get("nothing-here").isEmpty());
    assertTrue(store.get("no/such/folder/blob").isEmpty());
  }

  @Test
  void emptyBlob_roundTrips() throws Exception {
    assertTrue(store.putIfAbsent("empty", new byte[0]));
    assertArrayEquals(new byte[0], store.get("empty").orElseThrow());
    assertEquals(List.of(new BlobInfo("empty", 0)), store.list("", null, 10).blobs());
  }

  @Test
  void list_emptyStore_isAnEmptyLastPage() throws Exception {
    Page page = store.list("", null, 10);
    assertEquals(List.of(), page.blobs());
    assertNull(page.nextToken());
  }

  @Test
  void list_pagesThroughManyNamesInNameOrderWithSizes() throws Exception {
    // Names chosen so that segment-by-segment order and whole-name order differ:
    // "a-x" < "a.x" < "a/..." < "a0" < "ab" as whole names.
    TreeMap<String, Integer> expected = new TreeMap<>();
    String[] tops = {"a", "a-x", "a.x", "a0", "ab", "z"};
    int n = 0;
    for (String top : tops) {
      for (int i = 0; i < 12; i++) {
        String name = (i % 3 == 0) ? top + "-" + i : top + "/" + (i % 2) + "/" + i;
        expected.put(name, n % 17);
        assertTrue(store.putIfAbsent(name, new byte[n % 17]), name);
        n++;
      }
    }
    List<BlobInfo> seen = listAll("", 7);
    assertEquals(new ArrayList<>(expected.keySet()), seen.stream().map(BlobInfo::name).toList());
    for (BlobInfo b : seen) {
      assertEquals((long) expected.get(b.name()), b.size(), b.name());
    }
  }

  @Test
  void list_prefix_selectsExactlyTheNamesStartingWithIt() throws Exception {
    for (String name : List.of("r/a/1", "r/a/2", "r/ab/1", "r/a-b", "r/b/1", "ra/1", "r-1")) {
      assertTrue(store.putIfAbsent(name, bytes(name)));
    }
    assertEquals(List.of("r/a/1", "r/a/2"), names(listAll("r/a/", 2)));
    assertEquals(List.of("r/a-b", "r/a/1", "r/a/2", "r/ab/1"), names(listAll("r/a", 3)));
    assertEquals(List.of("r-1", "r/a-b", "r/a/1", "r/a/2", "r/ab/1", "r/b/1", "ra/1"),
        names(listAll("r", 1000)));
    assertEquals(List.of("r/b/1"), names(listAll("r/b", 1)));
    assertEquals(List.of(), names(listAll("r/c", 5)));
    assertEquals(List.of(), names(listAll("q/", 5)));
  }

  @Test
  void list_token_resumesAfterTheLastNameEvenWhenBlobsChangeInBetween() throws Exception {
    for (int i = 0; i < 6; i++) {
      assertTrue(store.putIfAbsent("t/" + i, bytes("x")));
    }
    Page first = store.list("t/", null, 3);
    assertEquals(List.of("t/0", "t/1", "t/2"), names(first.blobs()));
    assertEquals("t/2", first.nextToken());
    store.delete("t/2");
    assertTrue(store.putIfAbsent("t/25", bytes("x")));
    assertTrue(store.putIfAbsent("t/1a", bytes("x"))); // before the token: not seen again
    List<BlobInfo> rest = new ArrayList<>();
    String token = first.nextToken();
    for (int round = 0; token != null && round < 10; round++) {
      Page p = store.list("t/", token, 3);
      rest.addAll(p.blobs());
      token = p.nextToken();
    }
    assertNull(token, "paging did not end");
    assertEquals(List.of("t/25", "t/3", "t/4", "t/5"), names(rest));
  }

  @Test
  void delete_removesTheBlobAndIsIdempotent() throws Exception {
    assertTrue(store.putIfAbsent("d/1", bytes("x")));
    store.delete("d/1");
    assertTrue(store.get("d/1").isEmpty());
    store.delete("d/1");
    store.delete("never/existed");
    assertEquals(List.of(), store.list("d", null, 10).blobs());
    assertTrue(store.putIfAbsent("d/1", bytes("again")), "a deleted name can be written anew");
    assertArrayEquals(bytes("again"), store.get("d/1").orElseThrow());
  }

  @Test
  void badNames_areRefusedBeforeReachingTheStore() throws Exception {
    String[] bad = {"", "/abs", "trailing/", "a//b", "..", "a/../b", ".hidden", "a/.b", "UPPER",
        "space here", "back\\slash", "semi;colon", "ümlaut", "a\nb", "x".repeat(257),
        "s/" + "x".repeat(129)};
    for (String name : bad) {
      assertThrows(IllegalArgumentException.class, () -> store.putIfAbsent(name, bytes("x")),
          name);
      assertThrows(IllegalArgumentException.class, () -> store.get(name), name);
      assertThrows(IllegalArgumentException.class, () -> store.delete(name), name);
    }
    assertThrows(IllegalArgumentException.class, () -> store.list("../", null, 10));
    assertThrows(IllegalArgumentException.class, () -> store.list("/", null, 10));
    assertThrows(IllegalArgumentException.class, () -> store.list("", "../x", 10));
    assertThrows(IllegalArgumentException.class, () -> store.list("", null, 0));
    assertThrows(IllegalArgumentException.class,
        () -> store.list("", null, BlobStore.MAX_PAGE_SIZE + 1));
    assertEquals(List.of(), store.list("", null, 10).blobs(), "nothing was written");
  }

  @Test
  void largeBlob_roundTripsAndOversizedIsRefused() throws Exception {
    byte[] big = new byte[6 * 1024 * 1024 + 13];
    new Random(42).nextBytes(big);
    assertTrue(store.putIfAbsent("big/blob", big));
    assertArrayEquals(big, store.get("big/blob").orElseThrow());
    assertEquals(List.of(new BlobInfo("big/blob", big.length)), store.list("big/", null, 5).blobs());
    assertThrows(IllegalArgumentException.class,
        () -> store.putIfAbsent("big/too", new byte[BlobStore.MAX_BLOB_BYTES + 1]));
    assertTrue(store.get("big/too").isEmpty());
  }

  @Test
  void concurrentPutIfAbsentOfOneName_exactlyOneWins() throws Exception {
    int threads = 6;
    for (int round = 0; round < 3; round++) {
      String name = "race/" + round;
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          byte[] data = bytes("writer-" + t);
          Callable<Boolean> put = () -> {
            start.await(10, TimeUnit.SECONDS);
            return store.putIfAbsent(name, data);
          };
          results.add(pool.submit(put));
        }
        start.countDown();
        int wins = 0;
        int winner = -1;
        for (int t = 0; t < threads; t++) {
          if (results.get(t).get(60, TimeUnit.SECONDS)) {
            wins++;
            winner = t;
          }
        }
        assertEquals(1, wins, "round " + round);
        assertArrayEquals(bytes("writer-" + winner), store.get(name).orElseThrow(),
            "the stored blob is the winner's");
      } finally {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
      }
    }
  }

  /** Every blob under a prefix, page by page; bounded so a looping token fails the test. */
  protected List<BlobInfo> listAll(String prefix, int pageSize) throws BlobStoreException {
    List<BlobInfo> all = new ArrayList<>();
    @Nullable String token = null;
    for (int round = 0; round < 1000; round++) {
      Page page = store.list(prefix, token, pageSize);
      assertTrue(page.blobs().size() <= pageSize, "page larger than asked");
      all.addAll(page.blobs());
      token = page.nextToken();
      if (token == null) {
        return all;
      }
    }
    throw new AssertionError("listing did not end after 1000 pages");
  }

  protected static List<String> names(List<BlobInfo> blobs) {
    return blobs.stream().map(BlobInfo::name).toList();
  }
}
