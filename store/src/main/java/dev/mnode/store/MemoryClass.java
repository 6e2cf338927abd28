package dev.mnode.store;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A class of memories: the unit of access control, keys and selective sync. Names are lowercase
 * {@code [a-z][a-z0-9-]{0,31}}.
 */
public record MemoryClass(String name) implements Comparable<MemoryClass> {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

  public static final MemoryClass PERSONAL = new MemoryClass("personal");
  public static final MemoryClass WORK = new MemoryClass("work");
  public static final MemoryClass HEALTH = new MemoryClass("health");
  public static final MemoryClass FINANCIAL = new MemoryClass("financial");
  public static final MemoryClass OTHER = new MemoryClass("other");

  /** The classes every store has from its creation. */
  public static final List<MemoryClass> BUILT_IN = List.of(PERSONAL, WORK, HEALTH, FINANCIAL, OTHER);

  public MemoryClass {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid class name \""
              + (name == null ? "" : name.length() > 40 ? name.substring(0, 40) + "..." : name)
              + "\": use lowercase letters, digits and '-', starting with a letter, at most 32");
    }
  }

  @Override
  public int compareTo(MemoryClass o) {
    return name.compareTo(o.name);
  }

  @Override
  public String toString() {
    return name;
  }
}
