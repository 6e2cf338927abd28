package dev.mnode.cli;

import dev.mnode.node.ProgressListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on a terminal's stderr, redrawn at most ten times a second:
 *
 * <pre>importing  [##########..........]  52%  52,000/100,000  21,345/s</pre>
 *
 * Confined to the thread that reports progress.
 */
final class ProgressBar implements ProgressListener {
  private static final int WIDTH = 24;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream err;
  private final String unit;
  private final long startNanos = System.nanoTime();
  private long lastDraw;
  private boolean drawn;

  ProgressBar(PrintStream err, String unit) {
    this.err = err;
    this.unit = unit;
  }

  @Override
  public void progress(String phase, long done, long total) {
    long now = System.nanoTime();
    boolean finished = total >= 0 && done >= total;
    if (!finished && drawn && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    drawn = true;
    double secs = Math.max(1e-3, (now - startNanos) / 1e9);
    StringBuilder line = new StringBuilder("\r").append(String.format(Locale.ROOT, "%-10s", phase));
    if (total > 0) {
      int filled = (int) Math.min(WIDTH, WIDTH * done / total);
      line.append(" [").append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
      line.append(String.format(Locale.ROOT, "%3d%%  ", 100 * done / total));
      if (phase.equals("reading")) {
        line.append(String.format(Locale.ROOT, "%,d/%,d KiB", done / 1024, total / 1024));
      } else {
        line.append(String.format(Locale.ROOT, "%,d/%,d %s  %,.0f/s", done, total, unit, done / secs));
      }
    } else {
      line.append(String.format(Locale.ROOT, " %,d", done));
    }
    line.append("   ");
    err.print(line);
    err.flush();
  }

  /** Ends the bar's line, if one was drawn. */
  void finish() {
    if (drawn) {
      err.println();
      err.flush();
    }
  }
}
