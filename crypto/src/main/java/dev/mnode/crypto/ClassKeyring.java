package dev.mnode.crypto;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The class keys a device holds: per class (by tag) a 32-byte random key per epoch. A device holds
 * keys only of the classes it was granted, received in {@link KeyEnvelope}s or made by {@link
 * #newEpoch}. Retiring an epoch wipes its key, after which bundles sealed under it no longer open
 * here.
 *
 * <p>Thread-safe: every method synchronizes on this keyring.
 */
public final class ClassKeyring implements AutoCloseable {
  public static final int KEY_BYTES = 32;

  /** Class tag to epoch to key. Guarded by this. */
  private final Map<ClassTag, TreeMap<Integer, SecretBytes>> keys = new HashMap<>();

  /** Starts the next epoch of {@code tag} with a fresh random key and returns its number. */
  public synchronized int newEpoch(ClassTag tag) {
    TreeMap<Integer, SecretBytes> epochs = keys.computeIfAbsent(tag, t -> new TreeMap<>());
    int epoch = epochs.isEmpty() ? 1 : epochs.lastKey() + 1;
    epochs.put(epoch, SecretBytes.random(KEY_BYTES));
    return epoch;
  }

  /** Adds a key received for ({@code tag}, {@code epoch}); replaces nothing already held. */
  public synchronized boolean add(ClassTag tag, int epoch, SecretBytes key) {
    if (key.length() != KEY_BYTES || epoch < 1) {
      throw new IllegalArgumentException("a class key has 32 bytes and an epoch >= 1");
    }
    TreeMap<Integer, SecretBytes> epochs = keys.computeIfAbsent(tag, t -> new TreeMap<>());
    if (epochs.containsKey(epoch)) {
      return false;
    }
    epochs.put(epoch, SecretBytes.wrap(key.copy()));
    return true;
  }

  /** Returns the newest epoch held for {@code tag}. */
  public synchronized OptionalInt currentEpoch(ClassTag tag) {
    TreeMap<Integer, SecretBytes> epochs = keys.get(tag);
    return epochs == null || epochs.isEmpty() ? OptionalInt.empty() : OptionalInt.of(epochs.lastKey());
  }

  /** Returns a copy of the key of ({@code tag}, {@code epoch}) while it is held. */
  public synchronized Optional<SecretBytes> key(ClassTag tag, int epoch) {
    TreeMap<Integer, SecretBytes> epochs = keys.get(tag);
    SecretBytes k = epochs == null ? null : epochs.get(epoch);
    return k == null ? Optional.empty() : Optional.of(SecretBytes.wrap(k.copy()));
  }

  /** Wipes every key of {@code tag} older than {@code epoch}; returns how many. */
  public synchronized int retireBefore(ClassTag tag, int epoch) {
    TreeMap<Integer, SecretBytes> epochs = keys.get(tag);
    if (epochs == null) {
      return 0;
    }
    Map<Integer, SecretBytes> old = epochs.headMap(epoch);
    int n = old.size();
    old.values().forEach(SecretBytes::close);
    old.clear();
    return n;
  }

  /** Wipes every key of {@code tag}: the device lost the class. */
  public synchronized void forget(ClassTag tag) {
    TreeMap<Integer, SecretBytes> epochs = keys.remove(tag);
    if (epochs != null) {
      epochs.values().forEach(SecretBytes::close);
    }
  }

  @Override
  public synchronized void close() {
    keys.values().forEach(e -> e.values().forEach(SecretBytes::close));
    keys.clear();
  }
}
