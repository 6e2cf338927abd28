package dev.mnode.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The command line of {@code bin/bench api}.
 *
 * @param clients concurrent clients, each one request at a time
 * @param seconds how long the measured load lasts, after the warm-up
 * @param home the home to serve (copied first); empty for the cached {@code recall-node} home
 * @param help print usage and exit
 */
record ApiOptions(int clients, int seconds, Optional<Path> home, boolean help) {
  static final int MAX_CLIENTS = 256;
  static final int MAX_SECONDS = 600;
  static final String USAGE =
      """
      Usage: bin/bench api [--clients 16] [--seconds 30] [--home DIR]
        --clients  concurrent clients POSTing /v1/recall, each waiting for its answer (1-256)
        --seconds  measured load, after a warm-up (1-600)
        --home     the home to serve; it is copied first and the copy deleted afterwards.
                   Default: bench/target/recall-node-home (117,659 memories), which
                   bin/bench recall-node builds once.
      """;

  ApiOptions {
    if (clients < 1 || clients > MAX_CLIENTS) {
      throw new IllegalArgumentException("--clients must be 1 to " + MAX_CLIENTS + ": " + clients);
    }
    if (seconds < 1 || seconds > MAX_SECONDS) {
      throw new IllegalArgumentException("--seconds must be 1 to " + MAX_SECONDS + ": " + seconds);
    }
  }

  /**
   * Parses the arguments after {@code api}.
   *
   * @throws IllegalArgumentException naming an unknown argument or a bad value
   */
  static ApiOptions parse(List<String> args) {
    int clients = 16;
    int seconds = 30;
    Optional<Path> home = Optional.empty();
    boolean help = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "-h", "--help" -> help = true;
        case "--clients" -> clients = number(a, value(args, i++));
        case "--seconds" -> seconds = number(a, value(args, i++));
        case "--home" -> home = Optional.of(Path.of(value(args, i++)));
        default -> throw new IllegalArgumentException("unknown argument: " + a);
      }
    }
    return new ApiOptions(clients, seconds, home, help);
  }

  private static String value(List<String> args, int i) {
    if (i + 1 >= args.size()) {
      throw new IllegalArgumentException(args.get(i) + " needs a value");
    }
    return args.get(i + 1);
  }

  private static int number(String flag, String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " needs a number: " + v);
    }
  }
}
