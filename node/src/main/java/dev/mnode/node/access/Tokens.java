package dev.mnode.node.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Bearer tokens: {@code mnode_} and 32 random bytes in unpadded base64url (256 bits, so a hash of
 * one cannot be reversed by guessing). Only SHA-256 hashes are kept; hashes are compared in
 * constant time. Stateless and thread-safe.
 */
final class Tokens {
  static final String PREFIX = "mnode_";
  /** Longest bearer value looked at; anything longer is wrong without hashing it. */
  static final int MAX_LENGTH = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  static String generate() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this Java runtime", e);
    }
  }

  /** Constant-time comparison of two hashes. */
  static boolean same(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
