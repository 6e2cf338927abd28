package dev.mnode.node.pair;

import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.SecretBytes;
import java.util.List;

/**
 * What the member sends a device it admits, sealed under the pairing session: everything the new
 * device needs to join the vault. The byte fields are opaque here; the vault fills and reads them.
 * The encoded welcome must fit one pairing frame ({@link #MAX_ENCODED_BYTES}); {@code
 * PairingWire} checks that when it is sent.
 *
 * @param vaultId the vault's id, 1 to {@value #MAX_ID_BYTES} bytes
 * @param vaultSecret the vault secret, 1 to {@value #MAX_SECRET_BYTES} bytes; the record does not
 *     copy it, {@link #close()} wipes it
 * @param classes the class names granted, at most {@value #MAX_CLASSES}, each 1 to {@value
 *     #MAX_CLASS_CHARS} characters
 * @param membershipOps encoded membership-log operations, at most {@value #MAX_ITEMS}
 * @param keyEnvelopes encoded key envelopes for the device, at most {@value #MAX_ITEMS}
 */
public record Welcome(
    Bytes vaultId,
    SecretBytes vaultSecret,
    List<String> classes,
    List<Bytes> membershipOps,
    List<Bytes> keyEnvelopes)
    implements AutoCloseable {
  /** The longest vault id. */
  public static final int MAX_ID_BYTES = 256;
  /** The longest vault secret. */
  public static final int MAX_SECRET_BYTES = 1024;
  /** The most classes granted. */
  public static final int MAX_CLASSES = 64;
  /** The longest class name. */
  public static final int MAX_CLASS_CHARS = 64;
  /** The most membership operations or key envelopes. */
  public static final int MAX_ITEMS = 4096;
  /** The most bytes an encoded welcome may take. */
  public static final int MAX_ENCODED_BYTES = PairingWire.MAX_SEALED_PLAINTEXT;

  /** Validates every field against its limit and copies the lists. */
  public Welcome {
    if (vaultId.length() == 0 || vaultId.length() > MAX_ID_BYTES) {
      throw new IllegalArgumentException("vaultId must be 1 to " + MAX_ID_BYTES + " bytes, has " + vaultId.length());
    }
    if (vaultSecret.length() == 0 || vaultSecret.length() > MAX_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "vaultSecret must be 1 to " + MAX_SECRET_BYTES + " bytes, has " + vaultSecret.length());
    }
    classes = List.copyOf(classes);
    if (classes.size() > MAX_CLASSES) {
      throw new IllegalArgumentException("at most " + MAX_CLASSES + " classes, got " + classes.size());
    }
    for (String c : classes) {
      if (c.isEmpty() || c.length() > MAX_CLASS_CHARS) {
        throw new IllegalArgumentException("a class name has 1 to " + MAX_CLASS_CHARS + " characters: '" + c + "'");
      }
    }
    membershipOps = List.copyOf(membershipOps);
    keyEnvelopes = List.copyOf(keyEnvelopes);
    if (membershipOps.size() > MAX_ITEMS || keyEnvelopes.size() > MAX_ITEMS) {
      throw new IllegalArgumentException("at most " + MAX_ITEMS + " membership operations and key envelopes each");
    }
  }

  /** Wipes the vault secret. */
  @Override
  public void close() {
    vaultSecret.close();
  }
}
