package dev.mnode.crdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.function.Consumer;
import org.automerge.AmValue;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.NewValue;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What automerge-java 0.0.7 does, on which {@link AutomergeMemoryDoc} relies or which it works
 * around. When an upgrade changes one of these, this test says which assumption to revisit.
 */
class AutomergeBehaviourTest {
  private final Document author = new Document(new byte[] {1});
  private final java.util.List<Document> others = new java.util.ArrayList<>();

  @AfterEach
  void free() {
    author.free();
    others.forEach(Document::free);
  }

  private Document doc(byte actor) {
    Document d = new Document(new byte[] {actor});
    others.add(d);
    return d;
  }

  private static byte[] change(Document d, Consumer<Transaction> edit) {
    ChangeHash[] before = d.getHeads();
    try (Transaction tx = d.startTransaction()) {
      edit.accept(tx);
      tx.commit();
    }
    return d.encodeChangesSince(before);
  }

  private static String text(Document d) {
    return d.get(ObjectId.ROOT, "text").map(v -> ((AmValue.Str) v).getValue()).orElse("<none>");
  }

  @Test
  void queuesAChangeWithMissingDependencies_silently_andAppliesItWhenTheyArrive() {
    byte[] c1 = change(author, tx -> tx.set(ObjectId.ROOT, "text", "one"));
    byte[] c2 = change(author, tx -> tx.set(ObjectId.ROOT, "text", "two"));
    byte[] c3 = change(author, tx -> tx.set(ObjectId.ROOT, "text", "three"));
    Document d = doc((byte) 2);
    d.applyEncodedChanges(c1);
    d.applyEncodedChanges(c3); // no exception, nothing visible: queued
    assertEquals("one", text(d));
    assertEquals(1, d.getHeads().length);
    d.applyEncodedChanges(c2);
    assertEquals("three", text(d));
    assertArrayEquals(author.getHeads(), d.getHeads());
  }

  @Test
  void savesAQueuedChangeOnceForEveryTimeItWasApplied() {
    byte[] c1 = change(author, tx -> tx.set(ObjectId.ROOT, "text", "one"));
    change(author, tx -> tx.set(ObjectId.ROOT, "text", "two"));
    byte[] c3 = change(author, tx -> tx.set(ObjectId.ROOT, "text", "three"));
    Document once = doc((byte) 2);
    once.applyEncodedChanges(c1);
    once.applyEncodedChanges(c3);
    Document twice = doc((byte) 2);
    twice.applyEncodedChanges(c1);
    twice.applyEncodedChanges(c3);
    twice.applyEncodedChanges(c3);
    assertEquals(once.save().length + c3.length, twice.save().length);
  }

  @Test
  void ignoresBytesItCannotParse_whenTheDocumentIsNotEmpty() {
    byte[] c1 = change(author, tx -> tx.set(ObjectId.ROOT, "text", "one"));
    Document d = doc((byte) 2);
    d.applyEncodedChanges(c1);
    byte[] saved = d.save();
    d.applyEncodedChanges(new byte[] {1, 2, 3}); // no exception
    byte[] flipped = change(author, tx -> tx.set(ObjectId.ROOT, "text", "two"));
    flipped[flipped.length - 2] ^= 1;
    d.applyEncodedChanges(flipped); // bad checksum: no exception either
    assertArrayEquals(saved, d.save());
    // On an empty document the same bytes do throw.
    assertThrows(RuntimeException.class, () -> doc((byte) 3).applyEncodedChanges(new byte[] {1, 2, 3}));
  }

  @Test
  void refusesASecondChangeWithTheSameActorAndSeq() {
    byte[] c1 = change(author, tx -> tx.set(ObjectId.ROOT, "text", "one"));
    Document twin = doc((byte) 1); // same actor as author
    twin.applyEncodedChanges(c1);
    byte[] honest = change(author, tx -> tx.set(ObjectId.ROOT, "text", "two"));
    byte[] other = change(twin, tx -> tx.set(ObjectId.ROOT, "text", "other two"));
    Document d = doc((byte) 2);
    d.applyEncodedChanges(c1);
    d.applyEncodedChanges(honest);
    RuntimeException e = assertThrows(RuntimeException.class, () -> d.applyEncodedChanges(other));
    assertTrue(e.getMessage().contains("duplicate seq"), e.getMessage());
  }

  @Test
  void writesNewValueIntegerAsAFloat64() {
    change(author, tx -> {
      tx.set(ObjectId.ROOT, "long", NewValue.integer(1L << 60));
      tx.set(ObjectId.ROOT, "int", 7);
    });
    assertTrue(author.get(ObjectId.ROOT, "long").orElseThrow() instanceof AmValue.F64);
    assertTrue(author.get(ObjectId.ROOT, "int").orElseThrow() instanceof AmValue.Int);
  }

  @Test
  void refusesMapKeysWithNulOrBeyondTheBasicMultilingualPlane_butNotSuchValues() {
    for (String key : new String[] {"🔥", "a\0b"}) {
      assertThrows(
          RuntimeException.class,
          () -> {
            try (Transaction tx = author.startTransaction()) {
              ObjectId m = tx.set(ObjectId.ROOT, "m", ObjectType.MAP);
              tx.set(m, key, true);
            }
          },
          key);
    }
    change(author, tx -> tx.set(ObjectId.ROOT, "text", "🔥 a\0b ß"));
    assertEquals("🔥 a\0b ß", text(author));
    change(author, tx -> tx.set(ObjectId.ROOT, "text", "lone \uD800 surrogate"));
    assertFalse(text(author).equals("lone \uD800 surrogate"));
  }

  @Test
  void saveBytesDependOnTheOrderConcurrentChangesWereApplied() {
    byte[] base = change(author, tx -> tx.set(ObjectId.ROOT, "text", "base"));
    Document x = doc((byte) 2);
    x.applyEncodedChanges(base);
    Document y = doc((byte) 3);
    y.applyEncodedChanges(base);
    byte[] fromX = change(x, tx -> tx.set(ObjectId.ROOT, "a", "x"));
    byte[] fromY = change(y, tx -> tx.set(ObjectId.ROOT, "b", "y"));
    x.applyEncodedChanges(fromY);
    y.applyEncodedChanges(fromX);
    assertArrayEquals(sortedHeads(x), sortedHeads(y));
    assertFalse(Arrays.equals(x.save(), y.save()));
  }

  @Test
  void loadGivesARandomActor_andForkTakesOne() {
    change(author, tx -> tx.set(ObjectId.ROOT, "text", "one"));
    Document loaded = Document.load(author.save());
    others.add(loaded);
    assertFalse(Arrays.equals(author.getActorId(), loaded.getActorId()));
    Document forked = loaded.fork(new byte[] {9});
    others.add(forked);
    assertArrayEquals(new byte[] {9}, forked.getActorId());
  }

  @Test
  void changeHash_isSha256OfTheChunkAfterMagicAndChecksum() throws Exception {
    byte[] c1 = change(author, tx -> tx.set(ObjectId.ROOT, "text", "one"));
    byte[] sha = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOfRange(c1, 8, c1.length));
    assertArrayEquals(author.getHeads()[0].getBytes(), sha);
    assertArrayEquals(Arrays.copyOf(sha, 4), Arrays.copyOfRange(c1, 4, 8));
  }

  @Test
  void encodeChangesSince_unknownHeads_returnsEverything() {
    byte[] c1 = change(author, tx -> tx.set(ObjectId.ROOT, "text", "one"));
    byte[] c2 = change(author, tx -> tx.set(ObjectId.ROOT, "text", "two"));
    Document d = doc((byte) 2);
    d.applyEncodedChanges(c1);
    assertArrayEquals(c1, d.encodeChangesSince(author.getHeads())); // d has never seen c2's hash
    assertEquals(c2.length, author.encodeChangesSince(d.getHeads()).length);
  }

  private static byte[][] sortedHeads(Document d) {
    return Arrays.stream(d.getHeads()).map(ChangeHash::getBytes).sorted(Arrays::compare).toArray(byte[][]::new);
  }
}
