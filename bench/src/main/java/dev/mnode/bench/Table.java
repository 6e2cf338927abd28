package dev.mnode.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table: a title, a header row and aligned columns, the first {@code textColumns}
 * left-aligned and the rest (numbers) right-aligned.
 */
final class Table {
  private static final String GAP = "  ";

  private final String title;
  private final int textColumns;
  private final List<String[]> rows = new ArrayList<>();

  /** A table whose first row is {@code headers}. */
  Table(String title, int textColumns, String... headers) {
    this.title = title;
    this.textColumns = textColumns;
    rows.add(headers);
  }

  /**
   * Adds a row; it must have as many cells as the header.
   *
   * @return this table
   */
  Table row(String... cells) {
    if (cells.length != rows.get(0).length) {
      throw new IllegalArgumentException(
          "row has " + cells.length + " cells, header " + rows.get(0).length);
    }
    rows.add(cells);
    return this;
  }

  /** Prints the title, the rows and a blank line. */
  void print(PrintStream out) {
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int c = 0; c < r.length; c++) {
        width[c] = Math.max(width[c], r[c].length());
      }
    }
    out.println(title);
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < r.length; c++) {
        String pad = " ".repeat(width[c] - r[c].length());
        line.append(c == 0 ? "  " : GAP).append(c < textColumns ? r[c] + pad : pad + r[c]);
      }
      out.println(line.toString().stripTrailing());
    }
    out.println();
  }
}
