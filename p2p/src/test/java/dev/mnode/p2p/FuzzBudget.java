package dev.mnode.p2p;

import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * How long the fuzz tests run and how they mutate. The normal build runs each parser a fixed number
 * of rounds under a hard time limit; {@code -Pfuzz} (or {@code -Dp2p.fuzz.scale=N}) multiplies both
 * rounds and limit by N for a longer run. Stateless.
 */
public final class FuzzBudget {
  /** The multiplier: 1 in the normal build. */
  public static final int SCALE = Math.max(1, Integer.getInteger("p2p.fuzz.scale", 1));

  private FuzzBudget() {}

  /** Returns {@code base} rounds, scaled. */
  public static int rounds(int base) {
    return Math.multiplyExact(base, SCALE);
  }

  /** Returns the time limit {@code base}, scaled. */
  public static Duration limit(Duration base) {
    return base.multipliedBy(SCALE);
  }

  /**
   * Returns random bytes, or a seed with one to three mutations: bit flips, random bytes, cuts,
   * insertions (often varint continuation bytes), deletions, duplicated ranges, splices of two
   * seeds.
   */
  public static byte[] mutate(Random random, List<byte[]> seeds) {
    if (random.nextInt(8) == 0) {
      byte[] junk = new byte[random.nextInt(96)];
      random.nextBytes(junk);
      return junk;
    }
    byte[] b = seeds.get(random.nextInt(seeds.size())).clone();
    int mutations = 1 + random.nextInt(3);
    for (int i = 0; i < mutations; i++) {
      b = mutateOnce(random, b, seeds);
    }
    return b;
  }

  private static byte[] mutateOnce(Random random, byte[] b, List<byte[]> seeds) {
    int n = b.length;
    switch (random.nextInt(7)) {
      case 0 -> {
        if (n > 0) {
          int bit = random.nextInt(n * 8);
          b[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        return b;
      }
      case 1 -> {
        if (n > 0) {
          b[random.nextInt(n)] = (byte) random.nextInt(256);
        }
        return b;
      }
      case 2 -> {
        return java.util.Arrays.copyOf(b, random.nextInt(n + 1));
      }
      case 3 -> {
        int at = random.nextInt(n + 1);
        int k = 1 + random.nextInt(4);
        byte[] out = new byte[n + k];
        System.arraycopy(b, 0, out, 0, at);
        for (int j = 0; j < k; j++) {
          out[at + j] = (byte) (random.nextBoolean() ? 0x80 | random.nextInt(128) : random.nextInt(256));
        }
        System.arraycopy(b, at, out, at + k, n - at);
        return out;
      }
      case 4 -> {
        if (n == 0) {
          return b;
        }
        int at = random.nextInt(n);
        int k = 1 + random.nextInt(Math.min(8, n - at));
        byte[] out = new byte[n - k];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + k, out, at, n - at - k);
        return out;
      }
      case 5 -> {
        if (n == 0 || n > 4096) {
          return b;
        }
        int at = random.nextInt(n);
        int k = 1 + random.nextInt(n - at);
        byte[] out = new byte[n + k];
        System.arraycopy(b, 0, out, 0, at + k);
        System.arraycopy(b, at, out, at + k, n - at);
        return out;
      }
      default -> {
        byte[] other = seeds.get(random.nextInt(seeds.size()));
        int cut = random.nextInt(n + 1);
        int from = random.nextInt(other.length + 1);
        byte[] out = new byte[cut + other.length - from];
        System.arraycopy(b, 0, out, 0, cut);
        System.arraycopy(other, from, out, cut, other.length - from);
        return out;
      }
    }
  }
}
