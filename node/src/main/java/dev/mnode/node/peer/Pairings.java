package dev.mnode.node.peer;

import dev.mnode.node.NodeException;
import java.time.Duration;
import java.util.List;

/** The node's open pairings: at most one code at a time, answered on {@code /mnode/pair/1.0.0}. */
public interface Pairings {
  /** Opens a pairing for a device that will hold {@code classes}, replacing any open one. */
  VaultAdmin.PairingTicket open(List<String> classes, Duration ttl) throws NodeException;

  /** Waits up to {@code wait} for the pairing of {@code code} to end. */
  VaultAdmin.PairingOutcome await(String code, Duration wait) throws NodeException;
}
