package dev.mnode.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** The sync benchmarks' corpus: N memories of about 300 bytes in class work, as import lines. */
final class WorkCorpus {
  private WorkCorpus() {}

  private static final String[] WORDS =
      ("the project team decided to move release planning budget review notes meeting customer deploy database"
          + " migration latency cache index search design api token schedule friday monday owner rollout").split(" ");

  /** JSON Lines, one memory each, the same for the same {@code n}. */
  static byte[] jsonLines(int n) {
    Random r = new Random(1);
    ByteArrayOutputStream out = new ByteArrayOutputStream(n * 340);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.setLength(0);
      sb.append("{\"text\":\"note ").append(i);
      while (sb.length() < 300) {
        sb.append(' ').append(WORDS[r.nextInt(WORDS.length)]);
      }
      sb.append("\",\"class\":\"work\"}\n");
      out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }
}
