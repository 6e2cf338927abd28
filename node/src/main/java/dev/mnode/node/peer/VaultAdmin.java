package dev.mnode.node.peer;

import dev.mnode.node.NodeException;
import java.time.Duration;
import java.util.List;

/**
 * The vault's devices, peers and pairing, for the owner: {@code mnode devices}, {@code mnode
 * peers} and {@code mnode pair}. Implemented over the home's replica, or over the local API of
 * the node that serves the home. A device is named by its id, a unique prefix of it (6 characters
 * or more), or its name when no other device has that name.
 */
public interface VaultAdmin {
  /** The devices of the vault, this one first, then by name. */
  List<DeviceInfo> devices() throws NodeException;

  /** Grants classes to a device; it receives their keys. */
  DeviceInfo grant(String device, List<String> classes) throws NodeException;

  /** Takes classes from a device: each starts a new epoch whose key it never gets. */
  DeviceInfo ungrant(String device, List<String> classes) throws NodeException;

  /** Revokes a device for good. */
  DeviceInfo revoke(String device) throws NodeException;

  /** Renames a device. */
  DeviceInfo rename(String device, String name) throws NodeException;

  /** The peers the running node syncs with; empty when no node runs. */
  List<PeerStatus> peers() throws NodeException;

  /**
   * Opens a pairing: a one-time code for a new device that may hold {@code classes}, valid for
   * {@code ttl}; needs a running node.
   */
  PairingTicket pair(List<String> classes, Duration ttl) throws NodeException;

  /** Waits up to {@code wait} for the pairing of {@code code} to end; needs a running node. */
  PairingOutcome pairResult(String code, Duration wait) throws NodeException;

  /**
   * Joins, from the running node of a home that holds nothing yet, the vault of the member at
   * {@code member} (a multiaddr ending in /p2p/ID) that shows {@code code}; needs a running node.
   */
  Joined join(String code, String member, String name) throws NodeException;

  /** A vault joined: its id (hex), this device's id, the classes granted. */
  record Joined(String vault, String device, List<String> classes) {}

  /** A pairing opened: the code to give the new device and the addresses to reach this one. */
  record PairingTicket(String code, List<String> addrs, List<String> classes, java.time.Instant expires) {}

  /**
   * How a pairing ended: {@code status} is {@code paired}, {@code pending} (still open), {@code
   * expired}, {@code failed} or {@code closed}; for {@code paired}, the new device's id, name and
   * classes.
   */
  record PairingOutcome(String status, String detail, String device, String name, List<String> classes) {}
}
