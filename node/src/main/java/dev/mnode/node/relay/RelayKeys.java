package dev.mnode.node.relay;

import com.google.crypto.tink.subtle.Hkdf;
import com.google.crypto.tink.subtle.XChaCha20Poly1305;
import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.IdentityKey;
import dev.mnode.crypto.SecretBytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The relay's keys, derived from the vault secret (which every member holds) with HKDF-SHA256
 * under distinct labels, so that no key serves two purposes:
 *
 * <pre>
 * name key  = HKDF(vault secret, salt "mnode/relay/v1", info "names")   HMAC-SHA256 key of blob names
 * seal key  = HKDF(vault secret, salt "mnode/relay/v1", info "seal")    XChaCha20-Poly1305 of segments
 * state key = HKDF(vault secret, salt "mnode/relay/v1", info "state")   XChaCha20-Poly1305 of local state
 * prefix    = "v" + hex(HMAC(name key, "prefix" | vault id))[0..24]      the vault's folder at the relay
 * name      = prefix + "/" + hex(HMAC(name key, "segment" | vault id | device | counter u64))
 * </pre>
 *
 * The provider sees only these names: without the vault secret it cannot tell which device, class
 * or counter a name stands for, nor link the prefixes of two vaults to anything. Sealing uses the
 * blob name as associated data, so a blob moved to another name (or another vault's prefix) does
 * not open. Thread-safe after construction; {@link #close} wipes the keys.
 */
final class RelayKeys implements AutoCloseable {
  private static final byte[] SALT = "mnode/relay/v1".getBytes(StandardCharsets.US_ASCII);

  private final byte[] nameKey;
  private final XChaCha20Poly1305 seal;
  private final XChaCha20Poly1305 state;
  private final Bytes vault;
  private final String prefix;

  RelayKeys(SecretBytes vaultSecret, Bytes vault) {
    byte[] ikm = vaultSecret.copy();
    byte[] sealKey = null;
    byte[] stateKey = null;
    try {
      nameKey = Hkdf.computeHkdf("HMACSHA256", ikm, SALT, ascii("names"), 32);
      sealKey = Hkdf.computeHkdf("HMACSHA256", ikm, SALT, ascii("seal"), 32);
      stateKey = Hkdf.computeHkdf("HMACSHA256", ikm, SALT, ascii("state"), 32);
      seal = new XChaCha20Poly1305(sealKey);
      state = new XChaCha20Poly1305(stateKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HKDF-SHA256 or XChaCha20-Poly1305 unavailable", e);
    } finally {
      Arrays.fill(ikm, (byte) 0);
      if (sealKey != null) {
        Arrays.fill(sealKey, (byte) 0);
      }
      if (stateKey != null) {
        Arrays.fill(stateKey, (byte) 0);
      }
    }
    this.vault = vault;
    byte[] v = vault.toByteArray();
    this.prefix = "v" + HexFormat.of().formatHex(hmac(concat(ascii("prefix|"), v))).substring(0, 24);
  }

  /** The vault's folder at the relay, without a trailing slash. */
  String prefix() {
    return prefix;
  }

  /** The name of segment {@code counter} of {@code device}. */
  String name(IdentityKey device, long counter) {
    byte[] v = vault.toByteArray();
    byte[] d = device.key().toByteArray();
    ByteBuffer b = ByteBuffer.allocate(8 + 1 + v.length + d.length + 8);
    b.put(ascii("segment|")).put((byte) v.length).put(v).put(d).putLong(counter);
    return prefix + "/" + HexFormat.of().formatHex(hmac(b.array()));
  }

  /** Seals a padded segment for blob {@code name}: nonce (24) | ciphertext | tag (16). */
  byte[] seal(String name, byte[] plaintext) {
    try {
      return seal.encrypt(plaintext, ascii(name));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("XChaCha20-Poly1305 failed", e);
    }
  }

  /** Opens a blob read under {@code name}; throws if it was altered, truncated or sealed for another name or vault. */
  byte[] open(String name, byte[] blob) throws GeneralSecurityException {
    return seal.decrypt(blob, ascii(name));
  }

  /** Seals this device's local relay state, bound to {@code context} (the relay's URI). */
  byte[] sealState(String context, byte[] plaintext) {
    try {
      return state.encrypt(plaintext, ascii("mnode/relay-state/v1|" + context));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("XChaCha20-Poly1305 failed", e);
    }
  }

  byte[] openState(String context, byte[] sealed) throws GeneralSecurityException {
    return state.decrypt(sealed, ascii("mnode/relay-state/v1|" + context));
  }

  private byte[] hmac(byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(nameKey, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Override
  public void close() {
    Arrays.fill(nameKey, (byte) 0);
  }
}
