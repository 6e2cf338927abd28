package dev.mnode.node.guard;

import java.util.List;
import java.util.stream.Collectors;

/** Helpers shared by the redaction tests. */
final class GuardTestSupport {
  private GuardTestSupport() {}

  static final Redactor REDACTOR = GuardModule.redactor();

  /** Every span found in {@code text}, as {@code "type:characters"}. */
  static List<String> found(String text) {
    return REDACTOR.scan(text).stream()
        .map(s -> s.type().id() + ":" + text.substring(s.start(), s.end()))
        .collect(Collectors.toList());
  }
}
