package dev.mnode.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BlobNamesTest {
  @Test
  void safeNames_areValid() {
    for (String ok : new String[] {"a", "0", "a/b", "v1/ab-cd_ef.gh/0001", "a..b", "x".repeat(128),
        ("y".repeat(100) + "/").repeat(2) + "z".repeat(54)}) {
      assertTrue(BlobNames.isValid(ok), ok);
      assertEquals(ok, BlobNames.check(ok));
    }
  }

  @Test
  void unsafeNames_areRefusedWithTheValueInOneLine() {
    for (String bad : new String[] {"", "/", "/a", "a/", "a//b", ".", "..", "../a", "a/..", ".a",
        "A", "a b", "a\\b", "a:b", "a\u0000b", "é", "x".repeat(129), "y/".repeat(128) + "y"}) {
      assertFalse(BlobNames.isValid(bad), bad);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> BlobNames.check(bad));
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
      assertFalse(e.getMessage().contains("\u0000"), e.getMessage());
    }
  }

  @Test
  void prefixes_mustBeTheStartOfAValidName() {
    for (String ok : new String[] {"", "a", "a/", "a/b", "a/b.", "a-"}) {
      assertEquals(ok, BlobNames.checkPrefix(ok));
    }
    for (String bad : new String[] {"/", "/a", "..", "../", "a/../", "a//", "a/.", "A"}) {
      assertThrows(IllegalArgumentException.class, () -> BlobNames.checkPrefix(bad), bad);
    }
  }

  @Test
  void secret_neverShowsItsValue() {
    Secret s = Secret.of("hunter2-secret");
    assertFalse(s.toString().contains("hunter2"));
    assertEquals(Secret.of("hunter2-secret"), s);
    assertThrows(IllegalArgumentException.class, () -> Secret.of(" padded "));
    BlobStoreOptions o = BlobStoreOptions.defaults()
        .withEnvironment(java.util.Map.of("AWS_SECRET_ACCESS_KEY", "env-secret-value"))
        .withS3Credentials("id", s, null);
    assertFalse(o.toString().contains("hunter2") || o.toString().contains("env-secret-value"));
  }
}
