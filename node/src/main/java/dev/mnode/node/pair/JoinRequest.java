package dev.mnode.node.pair;

import dev.mnode.crypto.Bytes;
import java.nio.charset.StandardCharsets;

/**
 * What a new device asks to join with, sent sealed once the code is proven.
 *
 * @param deviceName a name for people, 1 to {@value #MAX_NAME_BYTES} bytes of UTF-8
 * @param signedPrekey the device's signed prekey as the vault encodes it; opaque here, 1 to
 *     {@value #MAX_PREKEY_BYTES} bytes
 */
public record JoinRequest(String deviceName, Bytes signedPrekey) {
  /** The longest device name, in UTF-8 bytes. */
  public static final int MAX_NAME_BYTES = 128;
  /** The longest signed prekey. */
  public static final int MAX_PREKEY_BYTES = 8192;

  /** Validates both fields against their limits. */
  public JoinRequest {
    int n = deviceName.getBytes(StandardCharsets.UTF_8).length;
    if (deviceName.isBlank() || n > MAX_NAME_BYTES || deviceName.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "deviceName must be 1 to " + MAX_NAME_BYTES + " bytes without control characters, has " + n);
    }
    if (signedPrekey.length() == 0 || signedPrekey.length() > MAX_PREKEY_BYTES) {
      throw new IllegalArgumentException(
          "signedPrekey must be 1 to " + MAX_PREKEY_BYTES + " bytes, has " + signedPrekey.length());
    }
  }
}
