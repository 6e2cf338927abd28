package dev.mnode.node.access;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What one caller of the API may touch: the app's name, its classes (every class when {@code
 * allClasses}, which only the owner has) and its operations. Immutable.
 */
public record Scope(String app, boolean allClasses, SortedSet<String> classes, Set<Op> ops) {
  /** The name the owner's credential is recorded under in the audit log. */
  public static final String OWNER = "owner";

  public Scope {
    classes = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(classes));
    ops = Set.copyOf(ops);
  }

  /** The owner: every class, every operation. */
  public static Scope owner() {
    return new Scope(OWNER, true, new TreeSet<>(), Set.of(Op.READ, Op.WRITE));
  }

  /** Returns whether this scope may do {@code op} at all. */
  public boolean allows(Op op) {
    return ops.contains(op);
  }

  /** Returns whether this scope may do {@code op} on memories of class {@code memoryClass}. */
  public boolean allows(Op op, String memoryClass) {
    return ops.contains(op) && (allClasses || classes.contains(memoryClass));
  }

  /** Returns whether this scope sees memories of class {@code memoryClass}. */
  public boolean covers(String memoryClass) {
    return allClasses || classes.contains(memoryClass);
  }
}
