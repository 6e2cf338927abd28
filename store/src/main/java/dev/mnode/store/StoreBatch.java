package dev.mnode.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Writes that land together or not at all ({@link MemoryStore#write}): memory rows put or deleted,
 * and sync state put or deleted. Applying a received bundle writes its bundle, the memory's
 * document and the memory's row in one batch, so a crash never leaves one without the others.
 * Not thread-safe; the store copies what it needs when it writes.
 */
public final class StoreBatch {
  /** One write in a batch. */
  public sealed interface Op permits PutMemory, DeleteMemory, PutSync, DeleteSync {}

  /** Puts (adds or replaces) a memory row. */
  public record PutMemory(Memory memory) implements Op {}

  /** Deletes a memory row, if there is one. */
  public record DeleteMemory(MemoryId id) implements Op {}

  /**
   * Puts a sync value, sealed under {@code sealedFor}'s storage key when given, else the master key.
   */
  public record PutSync(SyncFamily family, byte[] key, Optional<MemoryClass> sealedFor, byte[] value) implements Op {}

  /** Deletes a sync value, if there is one. */
  public record DeleteSync(SyncFamily family, byte[] key) implements Op {}

  /** Largest sync key. */
  public static final int MAX_SYNC_KEY = 256;

  private final List<Op> ops = new ArrayList<>();

  public StoreBatch put(Memory m) {
    ops.add(new PutMemory(m));
    return this;
  }

  public StoreBatch delete(MemoryId id) {
    ops.add(new DeleteMemory(id));
    return this;
  }

  /** Puts a sync value sealed under the master key. */
  public StoreBatch putSync(SyncFamily family, byte[] key, byte[] value) {
    return putSync(family, key, Optional.empty(), value);
  }

  /** Puts a sync value of class {@code sealedFor}, sealed under that class's storage key. */
  public StoreBatch putSync(SyncFamily family, byte[] key, Optional<MemoryClass> sealedFor, byte[] value) {
    checkKey(key);
    ops.add(new PutSync(family, key.clone(), sealedFor, value.clone()));
    return this;
  }

  public StoreBatch deleteSync(SyncFamily family, byte[] key) {
    checkKey(key);
    ops.add(new DeleteSync(family, key.clone()));
    return this;
  }

  /** The writes, in the order they were added. */
  public List<Op> ops() {
    return List.copyOf(ops);
  }

  public boolean isEmpty() {
    return ops.isEmpty();
  }

  public int size() {
    return ops.size();
  }

  private static void checkKey(byte[] key) {
    if (key.length == 0 || key.length > MAX_SYNC_KEY) {
      throw new IllegalArgumentException("a sync key has 1 to " + MAX_SYNC_KEY + " bytes, not " + key.length);
    }
  }

  @Override
  public String toString() {
    return "StoreBatch" + Arrays.toString(ops.stream().map(o -> o.getClass().getSimpleName()).toArray());
  }
}
