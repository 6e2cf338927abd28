package dev.mnode.store;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The id of a memory: a UUID, version 7 when mnode generates it (RFC 9562: 48-bit Unix
 * milliseconds, then random bits), so ids sort by creation time. Ids read from an import may be
 * any UUID and are kept as they are.
 */
public record MemoryId(UUID uuid) implements Comparable<MemoryId> {
  /** Length of the binary form. */
  public static final int BYTES = 16;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern CANONICAL =
      Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");
  private static final Object LOCK = new Object();
  private static long lastMillis;
  private static long lastCounter;

  public MemoryId {
    if (uuid == null) {
      throw new IllegalArgumentException("memory id is null");
    }
  }

  /**
   * Returns a new UUIDv7 from {@code clock}. Within one millisecond the 12-bit {@code rand_a}
   * field counts up from a random start (RFC 9562 method 1), so ids made by one process are
   * strictly increasing.
   */
  public static MemoryId generate(Clock clock) {
    long millis = clock.millis();
    long counter;
    synchronized (LOCK) {
      if (millis <= lastMillis) {
        millis = lastMillis;
        counter = lastCounter + 1;
        if (counter > 0xfff) {
          millis++;
          counter = RANDOM.nextInt(0x800);
        }
      } else {
        counter = RANDOM.nextInt(0x800);
      }
      lastMillis = millis;
      lastCounter = counter;
    }
    long msb = (millis << 16) | 0x7000L | counter;
    long lsb = (RANDOM.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new MemoryId(new UUID(msb, lsb));
  }

  /**
   * Parses the canonical text form {@code xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}.
   *
   * @throws IllegalArgumentException naming the text when it is not a UUID
   */
  public static MemoryId parse(String text) {
    if (text.length() != 36 || !CANONICAL.matcher(text).matches()) {
      throw new IllegalArgumentException("not a memory id: \"" + abbreviate(text) + "\"");
    }
    return new MemoryId(UUID.fromString(text));
  }

  /** Reads the 16-byte big-endian binary form. */
  public static MemoryId fromBytes(byte[] bytes, int offset) {
    ByteBuffer b = ByteBuffer.wrap(bytes, offset, BYTES);
    return new MemoryId(new UUID(b.getLong(), b.getLong()));
  }

  /** Returns the 16-byte big-endian binary form, which sorts like {@link #compareTo}. */
  public byte[] toBytes() {
    return ByteBuffer.allocate(BYTES)
        .putLong(uuid.getMostSignificantBits())
        .putLong(uuid.getLeastSignificantBits())
        .array();
  }

  /** Compares as unsigned big-endian bytes, which for UUIDv7 is creation order. */
  @Override
  public int compareTo(MemoryId o) {
    int c = Long.compareUnsigned(uuid.getMostSignificantBits(), o.uuid.getMostSignificantBits());
    return c != 0
        ? c
        : Long.compareUnsigned(uuid.getLeastSignificantBits(), o.uuid.getLeastSignificantBits());
  }

  @Override
  public String toString() {
    return uuid.toString();
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
