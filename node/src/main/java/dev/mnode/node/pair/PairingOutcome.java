package dev.mnode.node.pair;

import dev.mnode.p2p.PeerId;
import java.util.List;

/** How a pairing attempt or a whole offer ended. Immutable. */
public sealed interface PairingOutcome {
  /**
   * A device proved the code, was admitted and acknowledged its welcome.
   *
   * @param joiner the new device's peer id, authenticated by Noise
   * @param deviceName the name it gave
   * @param classes the classes granted
   */
  record Success(PeerId joiner, String deviceName, List<String> classes) implements PairingOutcome {
    /** Copies the list. */
    public Success {
      classes = List.copyOf(classes);
    }
  }

  /**
   * Pairing failed.
   *
   * @param reason why
   * @param message one line saying what happened, without secrets
   */
  record Failure(PairingException.Reason reason, String message) implements PairingOutcome {}
}
