package dev.mnode.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The opaque name of a class wherever it travels in clear (bundle and envelope headers, relay blob
 * names): the first 16 bytes of HMAC-SHA256(vault secret, "mnode/class-tag/v1|" + class name).
 * Members, who hold the vault secret, can map tags to names; a carrier cannot. Immutable value.
 */
public record ClassTag(Bytes tag) {
  public static final int BYTES = 16;

  public ClassTag {
    if (tag.length() != BYTES) {
      throw new IllegalArgumentException("a class tag has " + BYTES + " bytes, got " + tag.length());
    }
  }

  /** Derives the tag of {@code className} under the vault's shared secret. */
  public static ClassTag of(SecretBytes vaultSecret, String className) {
    byte[] key = vaultSecret.copy();
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] full = mac.doFinal(("mnode/class-tag/v1|" + className).getBytes(StandardCharsets.UTF_8));
      return new ClassTag(Bytes.copyOf(full, 0, BYTES));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "ClassTag[" + tag.hex() + "]";
  }
}
