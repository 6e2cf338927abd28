package dev.mnode.crypto;

/** A cryptographic operation failed: wrong key, tampered data, or unusable key material. */
public class CryptoException extends Exception {
  private static final long serialVersionUID = 1L;

  public CryptoException(String message) {
    super(message);
  }

  public CryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}
