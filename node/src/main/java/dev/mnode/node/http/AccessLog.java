package dev.mnode.node.http;

import java.util.Set;

/** Where the server records each API access: who, what, which classes, how many, the status. */
@FunctionalInterface
public interface AccessLog {
  AccessLog NONE = (app, operation, classes, count, status) -> {};

  /** Records one access; never given memory text. Must not throw. Thread-safe. */
  void record(String app, String operation, Set<String> classes, int count, int status);
}
