package dev.mnode.node;

import org.jspecify.annotations.Nullable;

/** Supplies the key file's passphrase when, and only when, the key file needs one. */
@FunctionalInterface
public interface PassphraseSource {
  PassphraseSource NONE = () -> null;

  /** Returns the passphrase, or null when none can be had; the caller wipes the array. */
  char @Nullable [] get() throws NodeException;
}
