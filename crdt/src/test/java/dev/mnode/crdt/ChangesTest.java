package dev.mnode.crdt;

import static dev.mnode.crdt.Devices.ID;
import static dev.mnode.crdt.Devices.t;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChangesTest {
  private final Devices devices = new Devices();

  @AfterEach
  void closeDocs() {
    devices.close();
  }

  @Test
  void parse_readsHashActorSeqAndDependencies_asAutomergeSeesThem() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    Changes created = a.create(ID, Devices.sample());
    List<ChangeHash> afterCreate = a.heads();
    Changes edit = a.update(MemoryEdit.at(t(1)).text("x").build()).orElseThrow();

    Changes both = Changes.parse(MemoryDocTest.concat(created, edit).stream()
        .map(c -> c.bytes().toByteArray())
        .reduce(new byte[0], ChangesTest::join));
    assertEquals(2, both.count());
    assertEquals(afterCreate, created.hashes());
    assertEquals(a.heads(), edit.hashes());
    ChangeChunk second = both.chunks().get(1);
    assertEquals(Devices.actor("laptop"), second.actor());
    assertEquals(2, second.seq());
    assertEquals(afterCreate, second.deps());
    assertEquals(List.of(), both.chunks().get(0).deps());
    assertEquals(Set.of(Devices.actor("laptop")), both.actors());
    assertEquals(both, Changes.parse(both.toByteArray()));
    assertEquals(created.length() + edit.length(), both.length());
  }

  @Test
  void everyFlippedByte_isRejected() throws Exception {
    byte[] good = devices.empty("laptop").create(ID, Devices.sample()).toByteArray();
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x01;
      MalformedException e = assertThrows(MalformedException.class, () -> Changes.parse(bad), "byte " + i);
      assertEquals(MalformedException.Kind.CHANGE, e.kind());
    }
  }

  @Test
  void emptyCutShortOrTrailingBytes_areRejected() throws Exception {
    byte[] good = devices.empty("laptop").create(ID, Devices.sample()).toByteArray();
    assertThrows(MalformedException.class, () -> Changes.parse(new byte[0]));
    for (int cut = 1; cut < good.length; cut++) {
      byte[] shortened = Arrays.copyOf(good, good.length - cut);
      assertThrows(MalformedException.class, () -> Changes.parse(shortened), "cut " + cut);
    }
    assertThrows(MalformedException.class, () -> Changes.parse(join(good, new byte[] {0})));
    assertThrows(MalformedException.class, () -> Changes.parse(join(good, Arrays.copyOf(good, 12))));
  }

  @Test
  void documentAndCompressedChunks_areNotChanges() throws Exception {
    MemoryDoc a = devices.empty("laptop");
    byte[] change = a.create(ID, Devices.sample()).toByteArray();
    assertThrows(MalformedException.class, () -> Changes.parse(a.save().toByteArray()));
    byte[] compressed = change.clone();
    compressed[8] = 2;
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    System.arraycopy(sha.digest(Arrays.copyOfRange(compressed, 8, compressed.length)), 0, compressed, 4, 4);
    MalformedException e = assertThrows(MalformedException.class, () -> Changes.parse(compressed));
    assertEquals(true, e.getMessage().contains("compressed"), e.getMessage());
  }

  @Test
  void aChunkLongerThanTheLimit_isRejectedBeforeItIsRead() {
    byte[] huge = {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83, 0, 0, 0, 0, 1, (byte) 0x81, (byte) 0x80, (byte) 0x80, 0x01};
    MalformedException e = assertThrows(MalformedException.class, () -> Changes.parse(huge));
    assertEquals(true, e.getMessage().contains("claims"), e.getMessage());
  }

  @Test
  void parse_copiesItsInput() throws Exception {
    byte[] good = devices.empty("laptop").create(ID, Devices.sample()).toByteArray();
    Changes parsed = Changes.parse(good);
    good[20] ^= 1;
    assertArrayEquals(parsed.toByteArray(), Changes.parse(parsed.toByteArray()).toByteArray());
  }

  static byte[] join(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
