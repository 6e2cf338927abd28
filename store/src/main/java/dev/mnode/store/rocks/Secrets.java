package dev.mnode.store.rocks;

import dev.mnode.crypto.CryptoException;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * The device's named secrets in the {@code keys} family, each sealed under the master key with
 * associated data {@code "mnode/secret/v1|" vault id "|" name}, so that a sealed secret copied to
 * another name or another store does not open. Thread-safe (RocksDB is).
 */
final class Secrets {
  private final Schema schema;
  private final WriteOptions syncWrites;
  private final String vaultId;

  Secrets(Schema schema, WriteOptions syncWrites, String vaultId) {
    this.schema = schema;
    this.syncWrites = syncWrites;
    this.vaultId = vaultId;
  }

  void put(String name, SecretBytes secret) throws StoreException {
    byte[] raw = secret.copy();
    try {
      schema.db().put(schema.keys(), syncWrites, Schema.secretKey(name), schema.master().seal(raw, ad(name)));
    } catch (RocksDBException e) {
      throw new StoreException("cannot store secret " + name + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  Optional<SecretBytes> get(String name) throws StoreException {
    try {
      byte[] sealed = schema.db().get(schema.keys(), Schema.secretKey(name));
      if (sealed == null) {
        return Optional.empty();
      }
      byte[] raw = schema.master().open(sealed, ad(name));
      try {
        return Optional.of(SecretBytes.copyOf(raw));
      } finally {
        Arrays.fill(raw, (byte) 0);
      }
    } catch (RocksDBException e) {
      throw new StoreException("cannot read secret " + name + ": " + e.getMessage(), e);
    } catch (CryptoException e) {
      throw new StoreException("secret " + name + " is damaged", e);
    }
  }

  /** Deletes a secret and compacts the family, so its sealed form leaves the live files. */
  boolean delete(String name) throws StoreException {
    byte[] key = Schema.secretKey(name);
    try {
      if (schema.db().get(schema.keys(), key) == null) {
        return false;
      }
      schema.db().delete(schema.keys(), syncWrites, key);
      try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
        schema.db().flush(fo, schema.keys());
      }
      schema.db().compactRange(schema.keys());
      return true;
    } catch (RocksDBException e) {
      throw new StoreException("cannot delete secret " + name + ": " + e.getMessage(), e);
    }
  }

  /** The names of the stored secrets, in name order. */
  List<String> names() throws StoreException {
    byte[] prefix = Schema.secretKey("x");
    prefix = Arrays.copyOf(prefix, prefix.length - 1);
    List<String> out = new ArrayList<>();
    try (RocksIterator it = schema.db().newIterator(schema.keys())) {
      for (it.seek(prefix); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (k.length < prefix.length || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
          break;
        }
        out.add(new String(k, prefix.length, k.length - prefix.length, StandardCharsets.US_ASCII));
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException("cannot list secrets: " + e.getMessage(), e);
    }
    return out;
  }

  private byte[] ad(String name) {
    return ad(vaultId, name);
  }

  static byte[] ad(String vaultId, String name) {
    return ("mnode/secret/v1|" + vaultId + "|" + name).getBytes(StandardCharsets.UTF_8);
  }
}
