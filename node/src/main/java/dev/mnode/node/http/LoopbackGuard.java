package dev.mnode.node.http;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Protection against DNS rebinding: a web page on another site that gets its name resolved to
 * 127.0.0.1 can reach the API, but its requests still carry that site's name in {@code Host} and
 * {@code Origin}. A request is accepted only when {@code Host} names a loopback address ({@code
 * 127.0.0.1}, {@code localhost}, {@code [::1]}, any port) or the address the user told the node to
 * bind, and when it carries an {@code Origin}, that too is such an address over http or https.
 * Immutable.
 */
final class LoopbackGuard {
  private static final Pattern HOST = Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[^:\\[\\]]+)(:\\d{1,5})?");
  private static final Pattern ORIGIN = Pattern.compile("https?://(.+)");

  private final Set<String> names;

  /** {@code bind} is the configured address; it is accepted in addition to the loopback names. */
  LoopbackGuard(String bind) {
    String b = bind.contains(":") ? "[" + bind.toLowerCase(Locale.ROOT) + "]" : bind.toLowerCase(Locale.ROOT);
    this.names = new java.util.HashSet<>(Set.of("127.0.0.1", "localhost", "[::1]"));
    this.names.add(b);
  }

  boolean hostAllowed(@Nullable String host) {
    if (host == null) {
      return false;
    }
    Matcher m = HOST.matcher(host.strip());
    return m.matches() && names.contains(m.group(1).toLowerCase(Locale.ROOT));
  }

  /** Returns whether {@code origin} is absent or loopback. */
  boolean originAllowed(@Nullable String origin) {
    if (origin == null) {
      return true;
    }
    Matcher m = ORIGIN.matcher(origin.strip());
    return m.matches() && hostAllowed(m.group(1));
  }
}
