package dev.mnode.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The source checkout the benchmark runs in: where {@code bin/mnode} and the built jars are.
 *
 * @param root the checkout's top directory
 * @param benchJar this module's runnable jar (its manifest names the runtime classpath)
 */
record Checkout(Path root, Path benchJar) {
  /** System property {@code bin/bench} sets to the checkout's root. */
  static final String ROOT_PROPERTY = "mnode.repo";

  /** The launcher whose cold start is timed. */
  Path mnode() {
    return root.resolve("bin/mnode");
  }

  /** The CLI jar bin/mnode runs. */
  Path cliJar() {
    return root.resolve("cli/target/mnode.jar");
  }

  /** The class-data-sharing archive bin/mnode trains after each build. */
  Path cdsArchive() {
    return root.resolve("cli/target/mnode.jsa");
  }

  /**
   * Finds the checkout: the {@value #ROOT_PROPERTY} property, else three levels above the bench jar
   * ({@code bench/target/mnode-bench.jar}).
   *
   * @throws IllegalStateException if neither leads to a directory holding {@code bin/mnode}
   */
  static Checkout locate() {
    String prop = System.getProperty(ROOT_PROPERTY);
    Path root = prop != null && !prop.isBlank() ? Path.of(prop) : ancestor(codeLocation(), 3);
    if (root == null || !Files.isRegularFile(root.resolve("bin/mnode"))) {
      throw new IllegalStateException(
          "cannot find the checkout (no bin/mnode); run bin/bench or set -D" + ROOT_PROPERTY);
    }
    root = root.toAbsolutePath().normalize();
    return new Checkout(root, root.resolve("bench/target/mnode-bench.jar"));
  }

  private static Path codeLocation() {
    try {
      return Path.of(Checkout.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toAbsolutePath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the bench jar", e);
    }
  }

  private static @Nullable Path ancestor(Path p, int levels) {
    Path at = p;
    for (int i = 0; i < levels && at != null; i++) {
      at = at.getParent();
    }
    return at;
  }
}
