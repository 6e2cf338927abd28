package dev.mnode.node.pair;

import dev.mnode.p2p.PeerId;

/**
 * Hears how each pairing attempt on a {@link PairingResponder} ended, for logs and user output.
 * Called on the stream's handler thread after the attempt; must not block for long or throw.
 */
@FunctionalInterface
public interface PairingObserver {
  /** Does nothing. */
  PairingObserver NONE = (peer, outcome) -> {};

  /** Reports that an attempt from {@code peer} ended with {@code outcome}. */
  void attemptEnded(PeerId peer, PairingOutcome outcome);
}
