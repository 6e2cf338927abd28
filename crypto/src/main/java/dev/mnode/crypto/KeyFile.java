package dev.mnode.crypto;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.jspecify.annotations.Nullable;

/**
 * The device master key file: 32 random bytes, stored in clear (the file is mode 0600) or sealed
 * under a key derived from a passphrase with Argon2id.
 *
 * <pre>
 * +----------+-----+-----+---------------------------------+---------+---------+--------+
 * | MNODEKEY | ver | kdf | kdf=1: mem u32, iter u32,       | len u16 | payload | crc32c |
 * | 8 bytes  | u8  | u8  |        lanes u8, salt 16 bytes  |         |         | u32    |
 * +----------+-----+-----+---------------------------------+---------+---------+--------+
 * kdf=0: payload is the master key.
 * kdf=1: payload is AES-256-GCM(argon2id(passphrase), master key, associated data = all bytes
 *        before len).
 * The CRC32C covers every byte before it and catches accidental damage; it is not a MAC.
 * </pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class KeyFile {
  /** Current layout version. */
  public static final int VERSION = 1;

  private static final byte[] MAGIC = "MNODEKEY".getBytes(StandardCharsets.US_ASCII);
  private static final int KDF_NONE = 0;
  private static final int KDF_ARGON2ID = 1;
  private static final int SALT_BYTES = 16;
  private static final int MAX_FILE_BYTES = 512;
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyFile() {}

  /**
   * Creates a new key file holding a fresh master key and returns that key.
   *
   * @param passphrase protects the file when non-null; the caller wipes it afterwards
   * @throws KeyFileException if the file exists or cannot be written
   */
  public static StorageKey create(Path file, char @Nullable [] passphrase, Argon2Params params)
      throws KeyFileException {
    if (Files.exists(file)) {
      throw new KeyFileException(
          KeyFileException.Reason.ALREADY_EXISTS, "key file already exists: " + file);
    }
    StorageKey master = StorageKey.generate();
    byte[] raw = master.material().copy();
    try {
      byte[] encoded = encode(raw, passphrase, params);
      writeNew(file, encoded);
      return master;
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /**
   * Reads the master key from {@code file}.
   *
   * @param passphrase required when the file is protected, ignored otherwise
   * @throws KeyFileException naming the reason: missing, corrupt, passphrase required or wrong
   */
  public static StorageKey open(Path file, char @Nullable [] passphrase) throws KeyFileException {
    byte[] bytes = read(file);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int kdf = readHeader(file, in, bytes);
    if (kdf == KDF_NONE) {
      byte[] raw = payload(file, in);
      try {
        return StorageKey.of(SecretBytes.wrap(raw));
      } catch (CryptoException e) {
        throw corrupt(file, "bad master key length");
      } finally {
        Arrays.fill(raw, (byte) 0);
      }
    }
    Argon2Params params;
    try {
      params = new Argon2Params(in.getInt(), in.getInt(), in.get());
    } catch (IllegalArgumentException e) {
      throw corrupt(file, e.getMessage());
    }
    byte[] salt = new byte[SALT_BYTES];
    in.get(salt);
    int headerEnd = in.position();
    byte[] sealed = payload(file, in);
    if (passphrase == null) {
      throw new KeyFileException(
          KeyFileException.Reason.PASSPHRASE_REQUIRED,
          "key file " + file + " is protected by a passphrase, and none was given");
    }
    try (StorageKey kek = derive(passphrase, salt, params)) {
      byte[] raw = kek.open(sealed, Arrays.copyOf(bytes, headerEnd));
      try {
        return StorageKey.of(SecretBytes.wrap(raw));
      } finally {
        Arrays.fill(raw, (byte) 0);
      }
    } catch (CryptoException e) {
      throw new KeyFileException(KeyFileException.Reason.WRONG_PASSPHRASE, "wrong passphrase");
    }
  }

  /**
   * How a key file is protected, kept while a node runs so that a successor file ({@link
   * #writeSuccessor}) is protected the same way without asking for the passphrase again: for a
   * passphrase file, the Argon2id-derived key and the file's KDF header (cost and salt), never the
   * passphrase; for a clear file, nothing. {@link #close()} wipes the derived key. Thread-safe.
   */
  public static final class Protection implements AutoCloseable {
    private final @Nullable StorageKey kek;
    private final byte[] header;

    private Protection(@Nullable StorageKey kek, byte[] header) {
      this.kek = kek;
      this.header = header.clone();
    }

    /** Whether the file is sealed under a passphrase. */
    public boolean byPassphrase() {
      return kek != null;
    }

    @Override
    public void close() {
      if (kek != null) {
        kek.close();
      }
    }

    @Override
    public String toString() {
      return "KeyFile.Protection[" + (kek == null ? "none" : "passphrase") + "]";
    }
  }

  /** A master key read from its file, and how the file protects it; closing wipes both. */
  public record Unlocked(StorageKey master, Protection protection) implements AutoCloseable {
    @Override
    public void close() {
      master.close();
      protection.close();
    }
  }

  /**
   * As {@link #open(Path, char[])}, also keeping the file's {@link Protection} (the passphrase is
   * used once, to derive it; the caller wipes it).
   */
  public static Unlocked unlock(Path file, char @Nullable [] passphrase) throws KeyFileException {
    byte[] bytes = read(file);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int kdf = readHeader(file, in, bytes);
    if (kdf == KDF_NONE) {
      return new Unlocked(open(file, null), new Protection(null, Arrays.copyOf(bytes, in.position())));
    }
    Argon2Params params = params(file, in);
    byte[] salt = new byte[SALT_BYTES];
    in.get(salt);
    byte[] header = Arrays.copyOf(bytes, in.position());
    if (passphrase == null) {
      throw new KeyFileException(
          KeyFileException.Reason.PASSPHRASE_REQUIRED,
          "key file " + file + " is protected by a passphrase, and none was given");
    }
    StorageKey kek = derive(passphrase, salt, params);
    Protection protection = new Protection(kek, header);
    try {
      return new Unlocked(openWith(file, protection, true), protection);
    } catch (KeyFileException e) {
      protection.close();
      throw e;
    }
  }

  /**
   * Reads the master key from {@code file}, protected as {@code protection} says (a successor
   * written by {@link #writeSuccessor}), without the passphrase.
   *
   * @throws KeyFileException if the file is missing, damaged, or protected another way
   */
  public static StorageKey openSuccessor(Path file, Protection protection) throws KeyFileException {
    return openWith(file, protection, false);
  }

  /** Opens {@code file} protected as {@code protection} says; {@code byPassphrase}: it was just derived from one. */
  private static StorageKey openWith(Path file, Protection protection, boolean byPassphrase) throws KeyFileException {
    byte[] bytes = read(file);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int kdf = readHeader(file, in, bytes);
    if (kdf == KDF_NONE) {
      if (protection.kek != null) {
        throw corrupt(file, "it is not protected by the passphrase its predecessor was");
      }
      return open(file, null);
    }
    params(file, in);
    in.position(in.position() + SALT_BYTES);
    int headerEnd = in.position();
    if (protection.kek == null || !Arrays.equals(Arrays.copyOf(bytes, headerEnd), protection.header)) {
      throw corrupt(file, "it is not protected the way its predecessor was");
    }
    byte[] sealed = payload(file, in);
    try {
      byte[] raw = protection.kek.open(sealed, protection.header);
      try {
        return StorageKey.of(SecretBytes.wrap(raw));
      } finally {
        Arrays.fill(raw, (byte) 0);
      }
    } catch (CryptoException e) {
      if (byPassphrase) {
        throw new KeyFileException(KeyFileException.Reason.WRONG_PASSPHRASE, "wrong passphrase");
      }
      throw corrupt(file, "its sealed key does not open");
    }
  }

  /**
   * Writes {@code master} to {@code next}, protected as {@code protection} says (a passphrase file
   * keeps its cost and salt, and is sealed again with a fresh nonce), replacing any file there:
   * to a temporary file beside it (mode 0600), synced, renamed, and the directory synced.
   */
  public static void writeSuccessor(Path next, StorageKey master, Protection protection) throws KeyFileException {
    byte[] raw = master.material().copy();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(buf)) {
      out.write(protection.header);
      byte[] payload = protection.kek == null ? raw : protection.kek.seal(raw, protection.header);
      out.writeShort(payload.length);
      out.write(payload);
      appendCrc(out, buf);
    } catch (IOException e) {
      throw new IllegalStateException("in-memory write failed", e);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
    Path tmp = next.resolveSibling(next.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      writeNew(tmp, buf.toByteArray());
      Files.move(tmp, next, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(next);
    } catch (IOException e) {
      throw new KeyFileException(KeyFileException.Reason.IO, "cannot write key file " + next + ": " + e.getMessage(), e);
    }
  }

  /**
   * Makes {@code next} (written by {@link #writeSuccessor}) the key file {@code file}: an atomic
   * rename over it, then the directory synced.
   */
  public static void promote(Path next, Path file) throws KeyFileException {
    try {
      Files.move(next, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(file);
    } catch (IOException e) {
      throw new KeyFileException(KeyFileException.Reason.IO, "cannot replace key file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void syncDirectory(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private static Argon2Params params(Path file, ByteBuffer in) throws KeyFileException {
    try {
      return new Argon2Params(in.getInt(), in.getInt(), in.get());
    } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
      throw corrupt(file, e.getMessage());
    }
  }

  /** Returns whether the key file at {@code file} needs a passphrase. */
  public static boolean isProtected(Path file) throws KeyFileException {
    byte[] bytes = read(file);
    return readHeader(file, ByteBuffer.wrap(bytes), bytes) == KDF_ARGON2ID;
  }

  private static byte[] encode(byte[] raw, char @Nullable [] passphrase, Argon2Params params) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(buf)) {
      out.write(MAGIC);
      out.writeByte(VERSION);
      if (passphrase == null) {
        out.writeByte(KDF_NONE);
        out.writeShort(raw.length);
        out.write(raw);
      } else {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        out.writeByte(KDF_ARGON2ID);
        out.writeInt(params.memoryKib());
        out.writeInt(params.iterations());
        out.writeByte(params.parallelism());
        out.write(salt);
        out.flush();
        byte[] header = buf.toByteArray();
        byte[] sealed;
        try (StorageKey kek = derive(passphrase, salt, params)) {
          sealed = kek.seal(raw, header);
        }
        out.writeShort(sealed.length);
        out.write(sealed);
      }
      appendCrc(out, buf);
    } catch (IOException e) {
      throw new IllegalStateException("in-memory write failed", e);
    }
    return buf.toByteArray();
  }

  /** Appends, through {@code out}, the CRC32C of everything written to {@code buf} so far. */
  private static void appendCrc(DataOutputStream out, ByteArrayOutputStream buf) throws IOException {
    out.flush();
    CRC32C crc = new CRC32C();
    crc.update(buf.toByteArray());
    out.writeInt((int) crc.getValue());
  }

  private static StorageKey derive(char[] passphrase, byte[] salt, Argon2Params params) {
    Argon2Parameters p =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(params.memoryKib())
            .withIterations(params.iterations())
            .withParallelism(params.parallelism())
            .withSalt(salt)
            .build();
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(p);
    byte[] out = new byte[StorageKey.KEY_BYTES];
    gen.generateBytes(passphrase, out);
    try {
      return StorageKey.of(SecretBytes.wrap(out));
    } catch (CryptoException e) {
      throw new IllegalStateException(e);
    } finally {
      Arrays.fill(out, (byte) 0);
    }
  }

  private static int readHeader(Path file, ByteBuffer in, byte[] bytes) throws KeyFileException {
    if (bytes.length < MAGIC.length + 2 + 2 + 4
        || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw corrupt(file, "not an mnode key file");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
      throw corrupt(file, "checksum mismatch");
    }
    in.position(MAGIC.length);
    int version = in.get() & 0xff;
    if (version != VERSION) {
      throw new KeyFileException(
          KeyFileException.Reason.UNSUPPORTED_VERSION,
          "key file " + file + " has version " + version + "; this mnode reads version " + VERSION);
    }
    int kdf = in.get() & 0xff;
    if (kdf != KDF_NONE && kdf != KDF_ARGON2ID) {
      throw corrupt(file, "unknown key derivation " + kdf);
    }
    return kdf;
  }

  private static byte[] payload(Path file, ByteBuffer in) throws KeyFileException {
    if (in.remaining() < 2) {
      throw corrupt(file, "truncated");
    }
    int len = in.getShort() & 0xffff;
    if (len != in.remaining() - 4) {
      throw corrupt(file, "payload length " + len + " does not match the file");
    }
    byte[] payload = new byte[len];
    in.get(payload);
    return payload;
  }

  private static byte[] read(Path file) throws KeyFileException {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw corrupt(file, "file too large");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new KeyFileException(
          KeyFileException.Reason.MISSING,
          "key file missing: " + file + " (the store cannot be opened without it)");
    } catch (IOException e) {
      throw new KeyFileException(
          KeyFileException.Reason.IO, "cannot read key file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writeNew(Path file, byte[] encoded) throws KeyFileException {
    try (FileChannel ch =
        FileChannel.open(
            file,
            java.util.EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      ByteBuffer buf = ByteBuffer.wrap(encoded);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    } catch (FileAlreadyExistsException e) {
      throw new KeyFileException(
          KeyFileException.Reason.ALREADY_EXISTS, "key file already exists: " + file);
    } catch (IOException e) {
      throw new KeyFileException(
          KeyFileException.Reason.IO, "cannot write key file " + file + ": " + e.getMessage(), e);
    }
  }

  private static KeyFileException corrupt(Path file, @Nullable String why) {
    return new KeyFileException(
        KeyFileException.Reason.CORRUPT, "key file " + file + " is corrupt: " + why);
  }
}
