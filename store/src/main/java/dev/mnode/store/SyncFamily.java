package dev.mnode.store;

/**
 * Where sync keeps its state beside the memory rows, one RocksDB column family each. Every value is
 * sealed at rest: under its class's storage key when it belongs to a class (so that dropping a
 * class drops what can open it), else under the store's vault key (itself sealed under the device
 * master key; the master key directly before the store's first re-key); the associated data binds
 * the family and the key, so a value moved to another key does not open.
 */
public enum SyncFamily {
  /** The Automerge document of each memory. */
  DOCS("docs"),
  /** Sealed bundles, written here or received, by class tag, author and seq. */
  BUNDLES("bundles"),
  /** Signed membership operations by id. */
  OPS("oplog"),
  /** Everything else sync keeps: own seqs, skip floors, tombstones, peers' prekeys, envelopes. */
  STATE("syncstate");

  private final String family;

  SyncFamily(String family) {
    this.family = family;
  }

  /** The column family's name on disk. */
  public String family() {
    return family;
  }
}
