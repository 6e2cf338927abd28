package dev.mnode.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.subtle.AesGcmJce;
import java.security.GeneralSecurityException;

/**
 * A 256-bit key that seals values at rest with AES-256-GCM (Tink), a random 96-bit nonce per
 * message and caller-chosen associated data that binds each ciphertext to its context.
 *
 * <p>Sealed layout (Tink's, raw variant): {@code nonce(12) | ciphertext | tag(16)}, so a sealed
 * value is {@link #OVERHEAD} bytes longer than its plaintext.
 *
 * <p>Thread-safe. {@link #close()} wipes this object's copy of the key.
 */
public final class StorageKey implements AutoCloseable {
  /** Length of the key in bytes. */
  public static final int KEY_BYTES = 32;
  /** Bytes a sealed value adds to its plaintext (nonce and tag). */
  public static final int OVERHEAD = 12 + 16;

  private static final AesGcmParameters PARAMETERS;

  static {
    try {
      PARAMETERS =
          AesGcmParameters.builder()
              .setKeySizeBytes(KEY_BYTES)
              .setIvSizeBytes(12)
              .setTagSizeBytes(16)
              .setVariant(AesGcmParameters.Variant.NO_PREFIX)
              .build();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final SecretBytes material;
  private final Aead aead;

  private StorageKey(SecretBytes material) throws CryptoException {
    if (material.length() != KEY_BYTES) {
      throw new CryptoException("a storage key has " + KEY_BYTES + " bytes, got " + material.length());
    }
    this.material = material;
    byte[] raw = material.copy();
    try {
      AesGcmKey key =
          AesGcmKey.builder()
              .setParameters(PARAMETERS)
              .setKeyBytes(
                  com.google.crypto.tink.util.SecretBytes.copyFrom(raw, InsecureSecretKeyAccess.get()))
              .build();
      this.aead = AesGcmJce.create(key);
    } catch (GeneralSecurityException e) {
      throw new CryptoException("cannot build AES-256-GCM key", e);
    } finally {
      java.util.Arrays.fill(raw, (byte) 0);
    }
  }

  /** Returns a new random key. */
  public static StorageKey generate() {
    try {
      return new StorageKey(SecretBytes.random(KEY_BYTES));
    } catch (CryptoException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns a key over a copy of {@code material}, which must be {@link #KEY_BYTES} long. */
  public static StorageKey of(SecretBytes material) throws CryptoException {
    return new StorageKey(SecretBytes.wrap(material.copy()));
  }

  /** Seals {@code plaintext}; {@code associatedData} must be given again to open it. */
  public byte[] seal(byte[] plaintext, byte[] associatedData) {
    try {
      return aead.encrypt(plaintext, associatedData);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /**
   * Opens a value sealed by {@link #seal} under the same key and associated data.
   *
   * @throws CryptoException if the value was altered, the key is wrong or the context differs
   */
  public byte[] open(byte[] sealed, byte[] associatedData) throws CryptoException {
    try {
      return aead.decrypt(sealed, associatedData);
    } catch (GeneralSecurityException e) {
      throw new CryptoException("sealed value does not open: wrong key, wrong context or tampered");
    }
  }

  /** Returns the key material, for wrapping under another key. */
  public SecretBytes material() {
    return material;
  }

  @Override
  public void close() {
    material.close();
  }

  @Override
  public String toString() {
    return "StorageKey[redacted]";
  }
}
