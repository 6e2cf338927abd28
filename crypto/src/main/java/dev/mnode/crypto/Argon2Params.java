package dev.mnode.crypto;

/**
 * Cost parameters of Argon2id (RFC 9106) for turning a passphrase into a key.
 *
 * @param memoryKib memory in KiB, at least {@link #MIN_MEMORY_KIB}
 * @param iterations passes over memory, at least 1
 * @param parallelism lanes, 1 to 16
 */
public record Argon2Params(int memoryKib, int iterations, int parallelism) {
  /** RFC 9106 second recommended option scaled for a CLI: 64 MiB, 3 passes, 1 lane. */
  public static final Argon2Params DEFAULT = new Argon2Params(64 * 1024, 3, 1);

  /** Smallest memory cost accepted, also when reading a key file (guards against a downgrade). */
  public static final int MIN_MEMORY_KIB = 8 * 1024;

  /** Largest memory cost accepted when reading a key file (guards against a memory bomb). */
  public static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;

  public Argon2Params {
    if (memoryKib < MIN_MEMORY_KIB || memoryKib > MAX_MEMORY_KIB) {
      throw new IllegalArgumentException(
          "Argon2id memory must be " + MIN_MEMORY_KIB + ".." + MAX_MEMORY_KIB + " KiB: " + memoryKib);
    }
    if (iterations < 1 || iterations > 64) {
      throw new IllegalArgumentException("Argon2id iterations must be 1..64: " + iterations);
    }
    if (parallelism < 1 || parallelism > 16) {
      throw new IllegalArgumentException("Argon2id parallelism must be 1..16: " + parallelism);
    }
  }
}
