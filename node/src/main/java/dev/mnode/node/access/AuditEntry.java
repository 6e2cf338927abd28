package dev.mnode.node.access;

import java.time.Instant;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One access to the node: when, which app ({@code owner}, an app name, or {@code -} when the token
 * was wrong), which operation (the route's name: remember, recall, get...), the classes it touched,
 * how many memories it returned or changed, and the HTTP status. Never any memory text. Immutable.
 */
public record AuditEntry(Instant time, String app, String operation, SortedSet<String> classes, int count, int status) {
  public AuditEntry {
    classes = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(classes));
  }
}
