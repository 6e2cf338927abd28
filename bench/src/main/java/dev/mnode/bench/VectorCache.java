package dev.mnode.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Benchmark scratch, not user data: the evaluation's corpus vectors, kept between runs under the
 * bench module's {@code target/} so that only the first run of a model pays for embedding the
 * whole corpus. One file per model and corpus, big-endian:
 *
 * <pre>
 * +--------+---------+-------------------+--------------+-------+------+---------+----------------+-------+
 * | "MNVC" | version | model id          | corpus       | count | dims | seconds | count x dims   | CRC32 |
 * | 4 B    | u8 = 1  | u16 length + UTF8 | SHA-256 32 B | i32   | i32  | f64     | f32            | u32   |
 * +--------+---------+-------------------+--------------+-------+------+---------+----------------+-------+
 * </pre>
 *
 * The corpus digest covers every text in order, {@code seconds} is how long embedding them took
 * when the file was written, and the CRC covers everything before it. A file whose header does not
 * match what is asked for, or whose checksum fails, is ignored and rewritten. Stateless.
 */
final class VectorCache {
  private static final byte[] MAGIC = "MNVC".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final int MAX_ID_BYTES = 1_000;

  /** Vectors read back, and the time embedding them took when they were computed. */
  record Entry(float[][] vectors, double seconds) {}

  private VectorCache() {}

  /** The file for {@code modelId} and {@code texts} under {@code dir}. */
  static Path file(Path dir, String modelId, List<String> texts) {
    String name = modelId.replaceAll("[^A-Za-z0-9.-]+", "_") + "-" + hex(digest(texts), 8) + ".vec";
    return dir.resolve(name);
  }

  /** Reads the vectors of {@code texts} by {@code modelId}, or empty when absent or unusable. */
  static Optional<Entry> read(Path file, String modelId, List<String> texts, int dims) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    CRC32 crc = new CRC32();
    try (DataInputStream in =
        new DataInputStream(new CheckedInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16), crc))) {
      byte[] magic = in.readNBytes(4);
      if (!Arrays.equals(magic, MAGIC) || in.readUnsignedByte() != VERSION) {
        return Optional.empty();
      }
      int idLength = in.readUnsignedShort();
      if (idLength > MAX_ID_BYTES
          || !new String(in.readNBytes(idLength), StandardCharsets.UTF_8).equals(modelId)
          || !Arrays.equals(in.readNBytes(32), digest(texts))
          || in.readInt() != texts.size()
          || in.readInt() != dims) {
        return Optional.empty();
      }
      double seconds = in.readDouble();
      float[][] vectors = new float[texts.size()][dims];
      for (float[] v : vectors) {
        for (int i = 0; i < dims; i++) {
          v[i] = in.readFloat();
        }
      }
      long expected = crc.getValue();
      long stored = Integer.toUnsignedLong(in.readInt());
      return stored == expected ? Optional.of(new Entry(vectors, seconds)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Writes {@code vectors} of {@code texts} by {@code modelId}, atomically (temp file, then move). */
  static void write(Path file, String modelId, List<String> texts, float[][] vectors, double seconds)
      throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    CRC32 crc = new CRC32();
    try (DataOutputStream out =
        new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16), crc))) {
      byte[] id = modelId.getBytes(StandardCharsets.UTF_8);
      out.write(MAGIC);
      out.writeByte(VERSION);
      out.writeShort(id.length);
      out.write(id);
      out.write(digest(texts));
      out.writeInt(vectors.length);
      out.writeInt(vectors.length == 0 ? 0 : vectors[0].length);
      out.writeDouble(seconds);
      for (float[] v : vectors) {
        for (float x : v) {
          out.writeFloat(x);
        }
      }
      out.flush();
      int sum = (int) crc.getValue();
      out.writeInt(sum);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static byte[] digest(List<String> texts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String t : texts) {
        byte[] b = t.getBytes(StandardCharsets.UTF_8);
        sha.update(new byte[] {(byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8), (byte) b.length});
        sha.update(b);
      }
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  private static String hex(byte[] b, int bytes) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < bytes; i++) {
      s.append(String.format("%02x", b[i]));
    }
    return s.toString();
  }
}
