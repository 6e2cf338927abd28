package dev.mnode.crypto;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A vault's recovery phrase: 256 random bits written as 24 words, the encoding of BIP-39 (the bits,
 * then the first 8 bits of their SHA-256 as a checksum, cut into 24 groups of 11 bits, each an index
 * into the BIP-39 English word list of 2048 words, kept as data in {@code bip39-english.txt}). Only
 * the encoding is BIP-39's: the phrase is never turned into a BIP-32 seed; {@link SealedArchive}
 * derives its key from the words with Argon2id.
 *
 * <p>Parsing is forgiving about form (case, extra spaces, Unicode normalisation) and strict about
 * content: an unknown word, a wrong count or a checksum that does not match fail with a message
 * naming the problem (never the words given). A mistyped word is caught by the checksum with
 * probability 255/256.
 *
 * <p>A secret: no {@code toString}; {@link #close()} wipes the bits. Not thread-safe.
 */
public final class RecoveryPhrase implements AutoCloseable {
  /** Words in a phrase. */
  public static final int WORDS = 24;

  /** Random bytes the phrase encodes. */
  public static final int ENTROPY_BYTES = 32;

  private static final List<String> LIST = load();
  private static final Map<String, Integer> INDEX = index(LIST);

  private final SecretBytes entropy;

  private RecoveryPhrase(SecretBytes entropy) {
    this.entropy = entropy;
  }

  /** Returns a new phrase over 256 bits from the system's secure random source. */
  public static RecoveryPhrase generate() {
    return new RecoveryPhrase(SecretBytes.random(ENTROPY_BYTES));
  }

  /** Returns the phrase of a copy of {@code entropy}, which must be {@link #ENTROPY_BYTES} long. */
  public static RecoveryPhrase of(SecretBytes entropy) throws CryptoException {
    if (entropy.length() != ENTROPY_BYTES) {
      throw new CryptoException("a recovery phrase encodes " + ENTROPY_BYTES + " bytes, got " + entropy.length());
    }
    return new RecoveryPhrase(SecretBytes.wrap(entropy.copy()));
  }

  /**
   * Parses a phrase typed or pasted by a person.
   *
   * @throws CryptoException if it is not 24 known words with a matching checksum
   */
  public static RecoveryPhrase parse(CharSequence text) throws CryptoException {
    String norm = Normalizer.normalize(text, Normalizer.Form.NFKD).toLowerCase(Locale.ROOT).strip();
    String[] words = norm.isEmpty() ? new String[0] : norm.split("\\s+");
    if (words.length != WORDS) {
      throw new CryptoException("a recovery phrase has " + WORDS + " words, this one has " + words.length);
    }
    // 24 x 11 bits = 264 bits: 256 bits of entropy then an 8-bit checksum.
    byte[] bits = new byte[ENTROPY_BYTES + 1];
    try {
      for (int w = 0; w < WORDS; w++) {
        Integer idx = INDEX.get(words[w]);
        if (idx == null) {
          throw new CryptoException("word " + (w + 1) + " of the recovery phrase is not in its word list");
        }
        for (int b = 0; b < 11; b++) {
          if ((idx >> (10 - b) & 1) != 0) {
            int pos = w * 11 + b;
            bits[pos >> 3] |= (byte) (0x80 >> (pos & 7));
          }
        }
      }
      byte[] entropy = Arrays.copyOf(bits, ENTROPY_BYTES);
      try {
        if (checksum(entropy) != bits[ENTROPY_BYTES]) {
          throw new CryptoException("the recovery phrase's checksum does not match: a word is wrong or out of order");
        }
        return new RecoveryPhrase(SecretBytes.wrap(entropy.clone()));
      } finally {
        Arrays.fill(entropy, (byte) 0);
      }
    } finally {
      Arrays.fill(bits, (byte) 0);
    }
  }

  /** Returns the 24 words, lowercase, separated by single spaces: show it to its owner only. */
  public String words() {
    byte[] e = entropy.copy();
    byte[] bits = Arrays.copyOf(e, ENTROPY_BYTES + 1);
    bits[ENTROPY_BYTES] = checksum(e);
    Arrays.fill(e, (byte) 0);
    StringBuilder out = new StringBuilder();
    for (int w = 0; w < WORDS; w++) {
      int idx = 0;
      for (int b = 0; b < 11; b++) {
        int pos = w * 11 + b;
        idx = idx << 1 | ((bits[pos >> 3] >> (7 - (pos & 7))) & 1);
      }
      out.append(w == 0 ? "" : " ").append(LIST.get(idx));
    }
    Arrays.fill(bits, (byte) 0);
    return out.toString();
  }

  /** Returns a copy of the 32 bytes the phrase encodes; the caller wipes it. */
  public SecretBytes entropy() {
    return SecretBytes.wrap(entropy.copy());
  }

  /** The words as key-derivation input: the canonical form, as characters the caller wipes. */
  char[] normalized() {
    return words().toCharArray();
  }

  @Override
  public void close() {
    entropy.close();
  }

  private static byte checksum(byte[] entropy) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(entropy)[0];
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256", e);
    }
  }

  private static List<String> load() {
    try (InputStream in = RecoveryPhrase.class.getResourceAsStream("bip39-english.txt")) {
      if (in == null) {
        throw new IllegalStateException("the recovery word list is missing from the jar");
      }
      List<String> out = new ArrayList<>(2048);
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank()) {
          out.add(line.strip());
        }
      }
      if (out.size() != 2048) {
        throw new IllegalStateException("the recovery word list has " + out.size() + " words, not 2048");
      }
      return List.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Integer> index(List<String> list) {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      m.put(list.get(i), i);
    }
    return Map.copyOf(m);
  }
}
