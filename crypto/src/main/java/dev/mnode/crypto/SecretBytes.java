package dev.mnode.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A secret byte string: copied in and out, compared in constant time, wiped on {@link #close()},
 * and never printed.
 *
 * <p>Thread-safety: safe to read from several threads; {@link #close()} must happen after every
 * reader is done.
 */
public final class SecretBytes implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] bytes;
  private volatile boolean wiped;

  private SecretBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Returns a secret holding a copy of {@code bytes}; the caller should wipe its own array. */
  public static SecretBytes copyOf(byte[] bytes) {
    return new SecretBytes(bytes.clone());
  }

  /** Returns {@code length} bytes from a cryptographically strong random source. */
  public static SecretBytes random(int length) {
    if (length <= 0) {
      throw new IllegalArgumentException("length must be positive: " + length);
    }
    byte[] b = new byte[length];
    RANDOM.nextBytes(b);
    return new SecretBytes(b);
  }

  /** Takes ownership of {@code bytes} without copying; package use only. */
  static SecretBytes wrap(byte[] bytes) {
    return new SecretBytes(bytes);
  }

  /** Returns a fresh copy of the secret; the caller wipes it when done. */
  public byte[] copy() {
    checkLive();
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  /** Compares two secrets in time independent of where they differ. */
  public boolean equalsConstantTime(SecretBytes other) {
    checkLive();
    other.checkLive();
    return MessageDigest.isEqual(bytes, other.bytes);
  }

  /** Overwrites the secret with zeros; later use throws {@link IllegalStateException}. */
  @Override
  public void close() {
    wiped = true;
    Arrays.fill(bytes, (byte) 0);
  }

  private void checkLive() {
    if (wiped) {
      throw new IllegalStateException("secret was already wiped");
    }
  }

  @Override
  public String toString() {
    return "SecretBytes[" + bytes.length + " bytes, redacted]";
  }
}
