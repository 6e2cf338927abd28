package dev.mnode.bench;

/** A main that does nothing: spawned to time the bare start and exit of a JVM. */
public final class Noop {
  private Noop() {}

  /** Returns at once. */
  public static void main(String[] args) {
    // Intentionally empty: the parent times JVM start-up and shutdown around it.
  }
}
