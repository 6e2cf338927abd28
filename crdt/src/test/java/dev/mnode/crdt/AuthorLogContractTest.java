package dev.mnode.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What every {@link AuthorLog} does; each implementation's test extends this. */
abstract class AuthorLogContractTest {
  static final int MAX_PENDING = 3;

  /** Returns an empty log holding at most {@code maxPendingPerAuthor} entries out of order. */
  abstract AuthorLog newLog(int maxPendingPerAuthor);

  static LogEntry entry(String author, long seq) {
    return entry(author, seq, "bundle " + author + "#" + seq);
  }

  static LogEntry entry(String author, long seq, String payload) {
    return new LogEntry(author, seq, ByteString.copyOf(payload.getBytes(StandardCharsets.UTF_8)));
  }

  static OfferResult appended(LogEntry... delivered) {
    return new OfferResult(OfferResult.Status.APPENDED, List.of(delivered));
  }

  static final OfferResult HELD = new OfferResult(OfferResult.Status.HELD, List.of());
  static final OfferResult DUPLICATE = new OfferResult(OfferResult.Status.DUPLICATE, List.of());

  @Test
  void entriesInOrder_areAppended_andAdvanceTheVersionVector() throws Exception {
    AuthorLog log = newLog(MAX_PENDING);
    assertEquals(VersionVector.empty(), log.versionVector());
    assertEquals(appended(entry("alice", 1)), log.offer(entry("alice", 1)));
    assertEquals(appended(entry("alice", 2)), log.offer(entry("alice", 2)));
    assertEquals(appended(entry("bob", 1)), log.offer(entry("bob", 1)));
    assertEquals(VersionVector.of(Map.of("alice", 2L, "bob", 1L)), log.versionVector());
    assertEquals(Optional.of(entry("alice", 2)), log.get("alice", 2));
    assertEquals(Optional.empty(), log.get("alice", 3));
    assertEquals(Optional.empty(), log.get("carol", 1));
  }

  @Test
  void entriesOutOfOrder_areHeld_untilTheGapFills_thenDeliveredInOrder() throws Exception {
    AuthorLog log = newLog(MAX_PENDING);
    log.offer(entry("alice", 1));
    assertEquals(HELD, log.offer(entry("alice", 4)));
    assertEquals(HELD, log.offer(entry("alice", 3)));
    assertEquals(2, log.pendingCount("alice"));
    assertEquals(1, log.versionVector().get("alice"));
    assertEquals(Optional.empty(), log.get("alice", 3));

    assertEquals(appended(entry("alice", 2), entry("alice", 3), entry("alice", 4)), log.offer(entry("alice", 2)));
    assertEquals(0, log.pendingCount("alice"));
    assertEquals(4, log.versionVector().get("alice"));
  }

  @Test
  void theSameEntryAgain_isADuplicate_andChangesNothing() throws Exception {
    AuthorLog log = newLog(MAX_PENDING);
    log.offer(entry("alice", 1));
    log.offer(entry("alice", 3));
    VersionVector before = log.versionVector();
    assertEquals(DUPLICATE, log.offer(entry("alice", 1)));
    assertEquals(DUPLICATE, log.offer(entry("alice", 3)));
    assertEquals(before, log.versionVector());
    assertEquals(1, log.pendingCount("alice"));
  }

  @Test
  void anotherPayloadUnderAUsedSeq_isEquivocation_andChangesNothing() throws Exception {
    AuthorLog log = newLog(MAX_PENDING);
    log.offer(entry("alice", 1));
    log.offer(entry("alice", 3));
    EquivocationException e = assertThrows(EquivocationException.class, () -> log.offer(entry("alice", 1, "forged")));
    assertEquals("alice", e.author());
    assertEquals(1, e.seq());
    assertThrows(EquivocationException.class, () -> log.offer(entry("alice", 3, "forged")));
    assertEquals(Optional.of(entry("alice", 1)), log.get("alice", 1));
    assertEquals(appended(entry("alice", 2), entry("alice", 3)), log.offer(entry("alice", 2)));
  }

  @Test
  void heldEntriesBeyondTheBound_areRefused_perAuthor() throws Exception {
    AuthorLog log = newLog(MAX_PENDING);
    assertEquals(MAX_PENDING, log.maxPendingPerAuthor());
    for (int seq = 2; seq < 2 + MAX_PENDING; seq++) {
      assertEquals(HELD, log.offer(entry("alice", seq)));
    }
    PendingLimitException e = assertThrows(PendingLimitException.class, () -> log.offer(entry("alice", 9)));
    assertEquals(MAX_PENDING, e.limit());
    assertEquals(MAX_PENDING, log.pendingCount("alice"));
    assertEquals(HELD, log.offer(entry("bob", 2))); // another author has its own bound
    assertEquals(DUPLICATE, log.offer(entry("alice", 2))); // a duplicate is not refused
    assertEquals(MAX_PENDING + 1, log.offer(entry("alice", 1)).delivered().size());
    assertEquals(HELD, log.offer(entry("alice", 9)));
  }

  @Test
  void withNoRoomToHold_onlyTheNextSeqIsAccepted() throws Exception {
    AuthorLog log = newLog(0);
    assertThrows(PendingLimitException.class, () -> log.offer(entry("alice", 2)));
    assertEquals(appended(entry("alice", 1)), log.offer(entry("alice", 1)));
  }

  @Test
  void entries_ofTheRangesAPeerLacks_bringItToTheSameVector() throws Exception {
    AuthorLog mine = newLog(MAX_PENDING);
    AuthorLog peer = newLog(MAX_PENDING);
    for (int seq = 1; seq <= 5; seq++) {
      mine.offer(entry("alice", seq));
    }
    mine.offer(entry("bob", 1));
    peer.offer(entry("alice", 1));
    peer.offer(entry("carol", 1));

    for (SeqRange r : peer.versionVector().missingFrom(mine.versionVector())) {
      for (LogEntry e : mine.entries(r)) {
        peer.offer(e);
      }
    }
    assertEquals(VersionVector.of(Map.of("alice", 5L, "bob", 1L, "carol", 1L)), peer.versionVector());
    assertEquals(List.of(entry("alice", 4), entry("alice", 5)), mine.entries(new SeqRange("alice", 4, 9)));
    assertEquals(List.of(), mine.entries(new SeqRange("alice", 6, 9)));
    assertEquals(List.of(), mine.entries(new SeqRange("dave", 1, 2)));
  }

  @Test
  void skipTo_coversEntriesWithoutPayload_releasesHeldOnes_andMakesCoveredOffersDuplicates() throws Exception {
    AuthorLog log = newLog(MAX_PENDING);
    log.offer(entry("alice", 1));
    assertEquals(HELD, log.offer(entry("alice", 5)));
    assertEquals(HELD, log.offer(entry("alice", 3)));
    assertEquals(HELD, log.offer(entry("bob", 2)));
    // A snapshot covering alice 1..3 and carol 1..2: alice's 3 is dropped as covered, 5 still waits for 4.
    assertEquals(List.of(), log.skipTo(VersionVector.of(Map.of("alice", 3L, "carol", 2L))));
    assertEquals(VersionVector.of(Map.of("alice", 3L, "bob", 0L, "carol", 2L)), log.versionVector());
    assertEquals(1, log.pendingCount("alice"));
    assertEquals(DUPLICATE, log.offer(entry("alice", 2, "anything: covered entries cannot be compared")));
    assertEquals(Optional.empty(), log.get("alice", 1));
    assertEquals(appended(entry("alice", 4), entry("alice", 5)), log.offer(entry("alice", 4)));
    assertEquals(Optional.of(entry("alice", 5)), log.get("alice", 5));
    assertEquals(List.of(entry("alice", 4), entry("alice", 5)), log.entries(new SeqRange("alice", 1, 9)));
    // Covering bob's gap releases what waited behind it.
    assertEquals(List.of(entry("bob", 2)), log.skipTo(VersionVector.of(Map.of("bob", 1L))));
    // A vector behind the log changes nothing.
    assertEquals(List.of(), log.skipTo(VersionVector.of(Map.of("alice", 2L))));
    assertEquals(VersionVector.of(Map.of("alice", 5L, "bob", 2L, "carol", 2L)), log.versionVector());
    assertEquals(appended(entry("carol", 3)), log.offer(entry("carol", 3)));
  }

  @Test
  void entriesOfferedInAnyOrderFromManyThreads_endContiguous() throws Exception {
    int authors = 8;
    int perAuthor = 200;
    AuthorLog log = newLog(perAuthor);
    List<LogEntry> all = new ArrayList<>();
    for (int a = 0; a < authors; a++) {
      for (int seq = 1; seq <= perAuthor; seq++) {
        all.add(entry("author-" + a, seq));
        all.add(entry("author-" + a, seq)); // every entry twice
      }
    }
    Collections.shuffle(all, new Random(42));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> delivered = new ArrayList<>();
      int slice = all.size() / 4;
      for (int t = 0; t < 4; t++) {
        List<LogEntry> mine = all.subList(t * slice, t == 3 ? all.size() : (t + 1) * slice);
        delivered.add(
            pool.submit(
                () -> {
                  int n = 0;
                  for (LogEntry e : mine) {
                    n += log.offer(e).delivered().size();
                  }
                  return n;
                }));
      }
      int total = 0;
      for (Future<Integer> f : delivered) {
        total += f.get(30, TimeUnit.SECONDS);
      }
      assertEquals(authors * perAuthor, total);
    } finally {
      pool.shutdownNow();
    }
    for (int a = 0; a < authors; a++) {
      assertEquals(perAuthor, log.versionVector().get("author-" + a));
      assertEquals(0, log.pendingCount("author-" + a));
    }
  }
}
