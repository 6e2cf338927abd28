package dev.mnode.crdt;

import static dev.mnode.crdt.Devices.T0;
import static dev.mnode.crdt.Devices.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DigestTest {
  static MemoryState memory(String id) {
    return new MemoryState(
        id, "text of " + id, "work", List.of("a", "b"), 0.5, "cli", T0, t(1), false,
        new TreeMap<>(Map.of("k", "v")), List.of("L-1"));
  }

  @Test
  void theSameMemories_inAnyOrder_giveTheSameDigest() {
    List<MemoryState> ms = List.of(memory("m-1"), memory("m-2"), memory("m-3"));
    List<MemoryState> reversed = new ArrayList<>(ms);
    Collections.reverse(reversed);
    assertEquals(Digest.of(ms), Digest.of(reversed));
    assertEquals(Digest.of(ms), Digest.of(new HashSet<>(ms)));
    assertNotEquals(Digest.of(ms), Digest.of(ms.subList(0, 2)));
  }

  @Test
  void everyFieldChangesTheDigest() {
    MemoryState m = memory("m-1");
    Set<Digest> digests = new HashSet<>();
    digests.add(Digest.of(List.of(m)));
    List<MemoryState> variants = List.of(
        new MemoryState("m-2", m.text(), m.memoryClass(), m.tags(), m.importance(), m.source(), m.created(), m.updated(), m.pinned(), m.metadata(), m.links()),
        new MemoryState(m.id(), "other", m.memoryClass(), m.tags(), m.importance(), m.source(), m.created(), m.updated(), m.pinned(), m.metadata(), m.links()),
        new MemoryState(m.id(), m.text(), "health", m.tags(), m.importance(), m.source(), m.created(), m.updated(), m.pinned(), m.metadata(), m.links()),
        new MemoryState(m.id(), m.text(), m.memoryClass(), List.of("ab"), m.importance(), m.source(), m.created(), m.updated(), m.pinned(), m.metadata(), m.links()),
        new MemoryState(m.id(), m.text(), m.memoryClass(), m.tags(), 0.50000001, m.source(), m.created(), m.updated(), m.pinned(), m.metadata(), m.links()),
        new MemoryState(m.id(), m.text(), m.memoryClass(), m.tags(), m.importance(), "cl", m.created(), m.updated(), m.pinned(), m.metadata(), m.links()),
        new MemoryState(m.id(), m.text(), m.memoryClass(), m.tags(), m.importance(), m.source(), T0.minusNanos(1), m.updated(), m.pinned(), m.metadata(), m.links()),
        new MemoryState(m.id(), m.text(), m.memoryClass(), m.tags(), m.importance(), m.source(), m.created(), t(2), m.pinned(), m.metadata(), m.links()),
        new MemoryState(m.id(), m.text(), m.memoryClass(), m.tags(), m.importance(), m.source(), m.created(), m.updated(), true, m.metadata(), m.links()),
        new MemoryState(m.id(), m.text(), m.memoryClass(), m.tags(), m.importance(), m.source(), m.created(), m.updated(), m.pinned(), new TreeMap<>(Map.of("k", "w")), m.links()),
        new MemoryState(m.id(), m.text(), m.memoryClass(), m.tags(), m.importance(), m.source(), m.created(), m.updated(), m.pinned(), new TreeMap<>(Map.of("kv", "")), m.links()),
        new MemoryState(m.id(), m.text(), m.memoryClass(), m.tags(), m.importance(), m.source(), m.created(), m.updated(), m.pinned(), m.metadata(), List.of()));
    for (MemoryState v : variants) {
      digests.add(Digest.of(List.of(v)));
    }
    assertEquals(variants.size() + 1, digests.size());
  }

  @Test
  void twoMemoriesWithOneId_areRefused() {
    assertThrows(IllegalArgumentException.class, () -> Digest.of(List.of(memory("m-1"), memory("m-1"))));
  }

  /** The encoding documented on {@link Digest}, written out independently for one memory. */
  @Test
  void digest_isSha256OfTheDocumentedEncoding() throws Exception {
    MemoryState m = memory("m-1");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(buf);
    str(out, "m-1");
    str(out, "text of m-1");
    str(out, "work");
    out.writeInt(2);
    str(out, "a");
    str(out, "b");
    out.writeLong(Double.doubleToLongBits(0.5));
    str(out, "cli");
    out.writeLong(T0.getEpochSecond());
    out.writeInt(0);
    out.writeLong(t(1).getEpochSecond());
    out.writeInt(0);
    out.writeByte(0);
    out.writeInt(1);
    str(out, "k");
    str(out, "v");
    out.writeInt(1);
    str(out, "L-1");
    byte[] memoryHash = MessageDigest.getInstance("SHA-256").digest(buf.toByteArray());
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    DataOutputStream w = new DataOutputStream(whole);
    str(w, "mnode/crdt/state-digest/v2");
    w.writeInt(1);
    w.write(memoryHash);
    byte[] expected = MessageDigest.getInstance("SHA-256").digest(whole.toByteArray());
    assertEquals(ByteString.copyOf(expected), Digest.of(List.of(m)).sha256());
  }

  @Test
  void twoDevices_withTheSameChangesInDifferentOrders_haveTheSameDigest() throws Exception {
    try (Devices devices = new Devices()) {
      List<List<Changes>> byMemory = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        MemoryDoc laptop = devices.empty("laptop");
        Changes created = laptop.create("m-" + i, Devices.sample());
        MemoryDoc phone = devices.with("phone", created);
        List<Changes> changes = new ArrayList<>();
        changes.add(created);
        changes.add(laptop.update(MemoryEdit.at(t(i)).addTag("laptop-" + i).build()).orElseThrow());
        changes.add(phone.update(MemoryEdit.at(t(i)).text("phone text " + i).build()).orElseThrow());
        if (i == 3) {
          changes.add(phone.forget().orElseThrow());
        }
        byMemory.add(changes);
      }
      List<MemoryState> desktop = new ArrayList<>();
      List<MemoryState> tablet = new ArrayList<>();
      for (List<Changes> changes : byMemory) {
        List<Changes> reversed = new ArrayList<>(changes);
        Collections.reverse(reversed);
        devices.with("desktop", changes.toArray(new Changes[0])).materialize().ifPresent(desktop::add);
        devices.with("tablet", reversed.toArray(new Changes[0])).materialize().ifPresent(tablet::add);
      }
      Collections.reverse(tablet);
      assertEquals(3, desktop.size()); // the forgotten memory is not part of the state
      assertEquals(Digest.of(desktop), Digest.of(tablet));
    }
  }

  private static void str(DataOutputStream out, String s) throws Exception {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }
}
