package dev.mnode.cloud;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A credential (an S3 secret key, a Dropbox access token). Its {@link #toString()} never shows the
 * value, equality compares in constant time, and only this package reads it, to hand it to an SDK.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * Wraps a credential.
   *
   * @throws IllegalArgumentException if it is empty or has surrounding whitespace (a common paste
   *     error that would otherwise show up as a confusing denial)
   */
  public static Secret of(String value) {
    if (value.isEmpty() || !value.strip().equals(value)) {
      throw new IllegalArgumentException("credential is empty or has surrounding whitespace");
    }
    return new Secret(value);
  }

  String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return 0; // a hash of the value would leak a little of it
  }

  @Override
  public String toString() {
    return "Secret[redacted]";
  }
}
