package dev.mnode.node.access;

import java.time.Instant;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** An app allowed to use the node: its name, classes, operations and when it was added. Immutable. */
public record App(String name, SortedSet<String> classes, Set<Op> ops, Instant created) {
  /** App names: lowercase letters, digits, '-' and '_', starting with a letter or digit, at most 32. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
  private static final Pattern CLASS = Pattern.compile("[a-z][a-z0-9-]{0,31}");

  public App {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "app name must be lowercase letters, digits, '-' or '_' (at most 32): \"" + name + "\"");
    }
    if (name.equals(Scope.OWNER)) {
      throw new IllegalArgumentException("\"owner\" is reserved for the owner's credential");
    }
    if (classes.isEmpty()) {
      throw new IllegalArgumentException("an app needs at least one class");
    }
    for (String c : classes) {
      if (!CLASS.matcher(c).matches()) {
        throw new IllegalArgumentException("not a class name: \"" + c + "\"");
      }
    }
    if (ops.isEmpty()) {
      throw new IllegalArgumentException("an app needs at least one operation (read, write)");
    }
    classes = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(classes));
    ops = Set.copyOf(ops);
  }

  /** The scope a token of this app grants. */
  public Scope scope() {
    return new Scope(name, false, classes, ops);
  }
}
