package dev.mnode.crypto;

import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.subtle.AesCtrHmacStreaming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * A backup archive sealed under a key derived from a {@link RecoveryPhrase}:
 *
 * <pre>
 * +--------+-----+-----+------------+------------+-----+---------+----------+
 * | "MNBK" | ver | kdf | memory KiB | iterations | par | salt 16 | check 32 |   63 bytes, in clear
 * +--------+-----+-----+------------+------------+-----+---------+----------+
 * | Tink streaming AEAD ciphertext (AES-256-CTR-HMAC-SHA256, 1 MiB segments),      |
 * |   associated data = the 63 header bytes                                        |
 * +--------------------------------------------------------------------------------+
 * ver u8 = 1; kdf u8 = 1 (Argon2id v1.3); memory u32, iterations u32, par u8: its cost
 * Argon2id(phrase words, salt, cost) -> 64 bytes: stream key (32) | check key (32)
 * check = HMAC-SHA256(check key, the 31 header bytes before it)
 * </pre>
 *
 * The check tells a wrong phrase apart from damage before anything is decrypted. Tink's streaming
 * AEAD (a STREAM construction: each segment's nonce holds its index and a last-segment flag, and
 * each file has its own random salt and key) makes any altered, reordered, dropped, appended or
 * foreign segment fail when read; altering the clear header changes the derived key or the
 * associated data, so it fails too. AES-CTR-HMAC rather than AES-GCM for speed, as in {@link
 * SealedFile}. Reading bounds the cost a header may ask for ({@link #MAX_READ_MEMORY_KIB}), so a
 * hostile archive cannot make the reader allocate gigabytes.
 *
 * <p>Stateless and thread-safe; each stream is confined to its caller.
 */
public final class SealedArchive {
  /** Bytes of the clear header. */
  public static final int HEADER_BYTES = 63;

  /** Format version written and read. */
  public static final int VERSION = 1;

  /** Largest Argon2id memory cost accepted when opening (1 GiB). */
  public static final int MAX_READ_MEMORY_KIB = 1024 * 1024;

  /** Largest Argon2id iterations accepted when opening. */
  public static final int MAX_READ_ITERATIONS = 16;

  private static final byte[] MAGIC = {'M', 'N', 'B', 'K'};
  private static final int KDF_ARGON2ID = 1;
  private static final int SALT_BYTES = 16;
  private static final int CHECKED_BYTES = HEADER_BYTES - 32;
  private static final int SEGMENT_BYTES = 1 << 20;

  private SealedArchive() {}

  /**
   * Writes the header to {@code out} and returns a stream that seals what is written to it; closing
   * that stream writes the last segment and closes {@code out}. Costs one Argon2id run.
   */
  public static OutputStream seal(OutputStream out, RecoveryPhrase phrase, Argon2Params cost) throws IOException {
    byte[] salt = new byte[SALT_BYTES];
    try (SecretBytes s = SecretBytes.random(SALT_BYTES)) {
      salt = s.copy();
    }
    ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES);
    h.put(MAGIC).put((byte) VERSION).put((byte) KDF_ARGON2ID)
        .putInt(cost.memoryKib()).putInt(cost.iterations()).put((byte) cost.parallelism()).put(salt);
    byte[] header = h.array();
    byte[] keys = derive(phrase, salt, cost);
    try {
      System.arraycopy(check(keys, header), 0, header, CHECKED_BYTES, 32);
      out.write(header);
      return aead(keys).newEncryptingStream(out, header);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot seal the archive: " + e.getMessage(), e);
    } finally {
      Arrays.fill(keys, (byte) 0);
    }
  }

  /**
   * Reads and checks the header of {@code in} and returns a stream of the archive's plaintext. A
   * read from it that meets altered, truncated or extended ciphertext throws {@link
   * DamagedException}; reaching its end (-1) means every segment, the last included, was
   * authentic. Closing it closes {@code in}. Costs one Argon2id run.
   *
   * @throws ArchiveException if it is not an archive, of an unknown version or cost, or the phrase
   *     is not its phrase
   */
  public static InputStream open(InputStream in, RecoveryPhrase phrase) throws IOException, ArchiveException {
    byte[] header = in.readNBytes(HEADER_BYTES);
    if (header.length < MAGIC.length || !Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new ArchiveException(ArchiveException.Reason.NOT_AN_ARCHIVE, "not an mnode backup (it does not start like one)");
    }
    if (header.length < HEADER_BYTES) {
      throw new ArchiveException(ArchiveException.Reason.NOT_AN_ARCHIVE, "the backup is truncated inside its header");
    }
    ByteBuffer h = ByteBuffer.wrap(header, MAGIC.length, HEADER_BYTES - MAGIC.length);
    int version = h.get() & 0xff;
    int kdf = h.get() & 0xff;
    if (version != VERSION || kdf != KDF_ARGON2ID) {
      throw new ArchiveException(
          ArchiveException.Reason.UNSUPPORTED,
          "the backup is in format " + version + "." + kdf + "; this mnode reads " + VERSION + "." + KDF_ARGON2ID);
    }
    int memory = h.getInt();
    int iterations = h.getInt();
    int parallelism = h.get() & 0xff;
    if (memory > MAX_READ_MEMORY_KIB || iterations > MAX_READ_ITERATIONS || parallelism > 4) {
      throw new ArchiveException(
          ArchiveException.Reason.UNSUPPORTED,
          "the backup asks for a key-derivation cost above this mnode's bound ("
              + (MAX_READ_MEMORY_KIB / 1024) + " MiB, " + MAX_READ_ITERATIONS + " passes, 4 lanes)");
    }
    Argon2Params cost;
    try {
      cost = new Argon2Params(memory, iterations, parallelism);
    } catch (IllegalArgumentException e) {
      throw new ArchiveException(ArchiveException.Reason.UNSUPPORTED, "the backup's key-derivation cost is invalid: " + e.getMessage());
    }
    byte[] salt = Arrays.copyOfRange(header, CHECKED_BYTES - SALT_BYTES, CHECKED_BYTES);
    byte[] keys = derive(phrase, salt, cost);
    try {
      if (!MessageDigest.isEqual(check(keys, header), Arrays.copyOfRange(header, CHECKED_BYTES, HEADER_BYTES))) {
        throw new ArchiveException(ArchiveException.Reason.WRONG_PHRASE, "the recovery phrase does not open this backup");
      }
      return new MarkingInputStream(aead(keys).newDecryptingStream(new MarkingInputStream(in, SourceFailure::new), header), SealedArchive::translate);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot open the archive: " + e.getMessage(), e);
    } finally {
      Arrays.fill(keys, (byte) 0);
    }
  }

  private static byte[] derive(RecoveryPhrase phrase, byte[] salt, Argon2Params cost) {
    Argon2Parameters p =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(cost.memoryKib())
            .withIterations(cost.iterations())
            .withParallelism(cost.parallelism())
            .withSalt(salt)
            .withAdditional("mnode/backup/v1".getBytes(StandardCharsets.US_ASCII))
            .build();
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(p);
    byte[] out = new byte[64];
    char[] words = phrase.normalized();
    try {
      gen.generateBytes(words, out);
    } finally {
      Arrays.fill(words, '\0');
    }
    return out;
  }

  private static byte[] check(byte[] keys, byte[] header) throws IOException {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(keys, 32, 32, "HmacSHA256"));
      mac.update(header, 0, CHECKED_BYTES);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IOException("no HMAC-SHA256: " + e.getMessage(), e);
    }
  }

  private static StreamingAead aead(byte[] keys) throws GeneralSecurityException {
    byte[] ikm = Arrays.copyOf(keys, 32);
    try {
      return new AesCtrHmacStreaming(ikm, "HmacSha256", 32, "HmacSha256", 32, SEGMENT_BYTES, 0);
    } finally {
      Arrays.fill(ikm, (byte) 0);
    }
  }

  /** Ciphertext that does not authenticate: altered, truncated, extended or foreign segments. */
  public static final class DamagedException extends IOException {
    private static final long serialVersionUID = 1L;

    DamagedException(IOException cause) {
      super("the backup is damaged (altered, truncated or extended)", cause);
    }
  }

  /** Marks failures of the file itself, so they are not taken for damage. */
  private static final class SourceFailure extends IOException {
    private static final long serialVersionUID = 1L;

    SourceFailure(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }


  /** Reading failures of the file itself pass as they are; any other failure means damage. */
  private static IOException translate(IOException e) {
    return e instanceof SourceFailure f ? (IOException) f.getCause() : new DamagedException(e);
  }
}
