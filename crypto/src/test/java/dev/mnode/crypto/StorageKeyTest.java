package dev.mnode.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StorageKeyTest {
  private static final byte[] AD = "memory-1|work".getBytes(UTF_8);

  @Test
  void seal_thenOpen_returnsPlaintext() throws Exception {
    try (StorageKey key = StorageKey.generate()) {
      byte[] sealed = key.seal("secret text".getBytes(UTF_8), AD);
      assertEquals(11 + StorageKey.OVERHEAD, sealed.length);
      assertArrayEquals("secret text".getBytes(UTF_8), key.open(sealed, AD));
    }
  }

  @Test
  void open_everyFlippedBit_isRejected() {
    try (StorageKey key = StorageKey.generate()) {
      byte[] sealed = key.seal("abc".getBytes(UTF_8), AD);
      for (int i = 0; i < sealed.length * 8; i++) {
        byte[] copy = sealed.clone();
        copy[i / 8] ^= (byte) (1 << (i % 8));
        assertThrows(CryptoException.class, () -> key.open(copy, AD), "bit " + i);
      }
    }
  }

  @Test
  void open_otherContextOrKey_isRejected() {
    try (StorageKey key = StorageKey.generate();
        StorageKey other = StorageKey.generate()) {
      byte[] sealed = key.seal("abc".getBytes(UTF_8), AD);
      assertThrows(CryptoException.class, () -> key.open(sealed, "memory-1|health".getBytes(UTF_8)));
      assertThrows(CryptoException.class, () -> other.open(sealed, AD));
    }
  }

  @Test
  void secretBytes_neverPrintsAndWipes() {
    SecretBytes s = SecretBytes.random(32);
    assertFalse(s.toString().matches(".*[0-9a-f]{16}.*"));
    assertEquals(32, s.length());
    s.close();
    assertThrows(IllegalStateException.class, s::copy);
  }
}
