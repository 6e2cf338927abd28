package dev.mnode.node.backup;

import dev.mnode.crypto.CryptoException;
import dev.mnode.crypto.RecoveryPhrase;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import java.util.Optional;

/**
 * The home's recovery phrase, kept as a store secret (sealed under the master key, so the key
 * file's passphrase guards it) so that it can be shown again. Stateless.
 */
public final class RecoveryPhrases {
  /** Name of the store secret holding the phrase's 32 bytes. */
  public static final String SECRET = "recovery-phrase";

  private RecoveryPhrases() {}

  /** A phrase, and whether it was made just now (the home had none). The caller closes it. */
  public record Ensured(RecoveryPhrase phrase, boolean madeNow) implements AutoCloseable {
    @Override
    public void close() {
      phrase.close();
    }
  }

  /** Returns the home's phrase, making and keeping one first if the home has none. */
  public static Ensured ensure(MemoryStore store) throws StoreException {
    Optional<SecretBytes> kept = store.secret(SECRET);
    if (kept.isPresent()) {
      try (SecretBytes s = kept.get()) {
        return new Ensured(RecoveryPhrase.of(s), false);
      } catch (CryptoException e) {
        throw new StoreException("the kept recovery phrase is damaged: " + e.getMessage(), e);
      }
    }
    RecoveryPhrase fresh = RecoveryPhrase.generate();
    try (SecretBytes s = fresh.entropy()) {
      store.putSecret(SECRET, s);
    } catch (StoreException | RuntimeException e) {
      fresh.close();
      throw e;
    }
    return new Ensured(fresh, true);
  }
}
