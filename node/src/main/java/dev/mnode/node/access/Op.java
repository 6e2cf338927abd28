package dev.mnode.node.access;

import java.util.Locale;

/** What a token may do: read (get, list, recall, classes, status) or write (remember, update, forget). */
public enum Op {
  READ,
  WRITE;

  /** The lowercase name used in files, flags and JSON. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code read} or {@code write}; {@link IllegalArgumentException} naming the value otherwise. */
  public static Op parse(String s) {
    return switch (s) {
      case "read" -> READ;
      case "write" -> WRITE;
      default -> throw new IllegalArgumentException("unknown operation \"" + s + "\" (read, write)");
    };
  }
}
