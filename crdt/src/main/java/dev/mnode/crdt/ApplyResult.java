package dev.mnode.crdt;

/**
 * What {@link MemoryDoc#applyChanges} did.
 *
 * @param applied changes applied to the document by this call, including earlier held changes
 *     whose dependencies this call supplied
 * @param duplicates changes of the input that the document had already applied or was holding
 * @param held changes the document holds after this call, waiting for their dependencies
 */
public record ApplyResult(int applied, int duplicates, int held) {
  /** @throws IllegalArgumentException if a count is negative */
  public ApplyResult {
    if (applied < 0 || duplicates < 0 || held < 0) {
      throw new IllegalArgumentException("negative count in " + applied + "/" + duplicates + "/" + held);
    }
  }
}
