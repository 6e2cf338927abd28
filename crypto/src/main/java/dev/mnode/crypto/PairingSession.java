package dev.mnode.crypto;

import java.nio.charset.StandardCharsets;

/**
 * The channel two devices share after a successful {@link PairingPake} run: one AES-256-GCM key
 * per direction (see {@link StorageKey}), both derived from the PAKE session key, so a device can
 * only open what the other role sealed. Each message names a label (such as {@code "welcome"}) that
 * is bound as associated data, so a message cannot be replayed as another kind. Callers never see
 * a nonce.
 *
 * <p>Thread-safe. {@link #close()} wipes both keys.
 */
public final class PairingSession implements AutoCloseable {
  /** Bytes a sealed message adds to its plaintext. */
  public static final int OVERHEAD = StorageKey.OVERHEAD;

  private final PairingPake.Role role;
  private final StorageKey sendKey;
  private final StorageKey receiveKey;

  PairingSession(PairingPake.Role role, StorageKey sendKey, StorageKey receiveKey) {
    this.role = role;
    this.sendKey = sendKey;
    this.receiveKey = receiveKey;
  }

  /** Returns our role in the run that made this session. */
  public PairingPake.Role role() {
    return role;
  }

  /** Seals {@code plaintext} for the other role under {@code label}. */
  public byte[] seal(String label, byte[] plaintext) {
    return sendKey.seal(plaintext, associatedData(role, label));
  }

  /**
   * Opens a message the other role sealed under {@code label}.
   *
   * @throws CryptoException if it was altered, sealed under another label or by another session
   */
  public byte[] open(String label, byte[] sealed) throws CryptoException {
    return receiveKey.open(sealed, associatedData(role.peer(), label));
  }

  private static byte[] associatedData(PairingPake.Role sender, String label) {
    return ("mnode/pair/1 " + sender.participantId() + " " + label).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    sendKey.close();
    receiveKey.close();
  }

  @Override
  public String toString() {
    return "PairingSession[" + role + ", redacted]";
  }
}
