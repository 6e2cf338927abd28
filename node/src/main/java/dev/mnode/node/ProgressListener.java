package dev.mnode.node;

/** Receives progress of long work. Called on the working thread; must be quick. */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = (phase, done, total) -> {};

  /**
   * Reports that {@code done} of {@code total} units of {@code phase} are finished; {@code total}
   * is -1 when unknown.
   */
  void progress(String phase, long done, long total);
}
