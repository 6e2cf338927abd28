package dev.mnode.crdt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The Automerge actor a device writes as. mnode derives it from the device id with {@link
 * #ofDevice(byte[])}, so one device always writes as the same actor in every memory document, and
 * the node can check that every change a bundle carries was written by the bundle's author.
 *
 * <p>Because the actor is fixed per device, a device must never write to a document from a state
 * older than one it already wrote from (for example after restoring an old backup of its store):
 * it would reuse a sequence number of its own, and peers reject the second change under that
 * number as equivocation. Writes to one document must be serialized and made durable before the
 * change leaves the device.
 */
public record ActorId(ByteString bytes) implements Comparable<ActorId> {
  /** Length of the actors {@link #ofDevice(byte[])} derives. */
  public static final int BYTES = 16;
  /** Longest actor accepted in a change read from elsewhere. */
  public static final int MAX_BYTES = 64;
  /** Longest device id {@link #ofDevice(byte[])} accepts. */
  public static final int MAX_DEVICE_ID_BYTES = 1024;

  private static final byte[] DOMAIN = "mnode/crdt/actor/v1".getBytes(StandardCharsets.US_ASCII);

  /** @throws IllegalArgumentException unless the actor has 1 to {@value #MAX_BYTES} bytes */
  public ActorId {
    if (bytes.length() < 1 || bytes.length() > MAX_BYTES) {
      throw new IllegalArgumentException(
          "an actor id has 1 to " + MAX_BYTES + " bytes, not " + bytes.length());
    }
  }

  /**
   * Returns the actor of the device {@code deviceId} (for example its Ed25519 public key): the first
   * 16 bytes of SHA-256("mnode/crdt/actor/v1" || 0x00 || deviceId). Deterministic: the same device
   * id always gives the same actor.
   *
   * @throws IllegalArgumentException if {@code deviceId} is empty or longer than {@value
   *     #MAX_DEVICE_ID_BYTES} bytes
   */
  public static ActorId ofDevice(byte[] deviceId) {
    if (deviceId.length == 0 || deviceId.length > MAX_DEVICE_ID_BYTES) {
      throw new IllegalArgumentException(
          "a device id has 1 to " + MAX_DEVICE_ID_BYTES + " bytes, not " + deviceId.length);
    }
    MessageDigest sha = Sha256.newDigest();
    sha.update(DOMAIN);
    sha.update((byte) 0);
    sha.update(deviceId);
    return new ActorId(ByteString.wrap(Arrays.copyOf(sha.digest(), BYTES)));
  }

  /** Returns the actor as lowercase hex, as Automerge prints it. */
  public String hex() {
    return bytes.hex();
  }

  @Override
  public int compareTo(ActorId o) {
    return bytes.compareTo(o.bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
