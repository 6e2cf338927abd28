package dev.mnode.store.rocks;

import dev.mnode.crypto.SecretBytes;
import dev.mnode.crypto.StorageKey;
import dev.mnode.store.MemoryStore;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The process {@link RekeyKillTest} kills: opens the store in {@code args[0]} with the master key
 * {@code args[1]} (hex) and re-keys it to {@code args[2]}, printing each progress step.
 */
public final class RekeyChild {
  private RekeyChild() {}

  public static void main(String[] args) throws Exception {
    try (MemoryStore s = RocksStoreModule.open(Path.of(args[0]), key(args[1]))) {
      System.out.println("open");
      System.out.flush();
      s.rekey(key(args[2]), (phase, done, total) -> {
        System.out.println(phase + " " + done);
        System.out.flush();
      });
    }
  }

  private static StorageKey key(String hex) throws Exception {
    try (SecretBytes b = SecretBytes.copyOf(HexFormat.of().parseHex(hex))) {
      return StorageKey.of(b);
    }
  }
}
