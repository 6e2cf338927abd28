package dev.mnode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Permission;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node opens no network connection its user did not configure: runs every command under a
 * security manager that records each attempt to resolve a host, connect, listen or accept.
 */
class NoNetworkTest {
  @TempDir Path tmp;

  @Test
  @SuppressWarnings("removal")
  void everyCommand_opensNoConnection_resolvesNoHost_andListensNowhere() throws Exception {
    List<String> attempts = Collections.synchronizedList(new ArrayList<>());
    SecurityManager recorder =
        new SecurityManager() {
          @Override
          public void checkPermission(Permission perm) {}

          @Override
          public void checkPermission(Permission perm, Object context) {}

          @Override
          public void checkConnect(String host, int port) {
            attempts.add("connect " + host + ":" + port);
          }

          @Override
          public void checkConnect(String host, int port, Object context) {
            attempts.add("connect " + host + ":" + port);
          }

          @Override
          public void checkListen(int port) {
            attempts.add("listen " + port);
          }

          @Override
          public void checkAccept(String host, int port) {
            attempts.add("accept " + host + ":" + port);
          }

          @Override
          public void checkMulticast(java.net.InetAddress maddr) {
            attempts.add("multicast " + maddr);
          }
        };
    String home = tmp.resolve("home").toString();
    Path export = tmp.resolve("out.jsonl");
    System.setSecurityManager(recorder);
    try {
      // The recorder sees a real attempt (a refused connection to a closed loopback port) ...
      try (java.net.Socket s = new java.net.Socket()) {
        s.connect(new java.net.InetSocketAddress("127.0.0.1", 1), 200);
      } catch (java.io.IOException expected) {
        // nothing listens there
      }
      org.junit.jupiter.api.Assertions.assertTrue(
          attempts.contains("connect 127.0.0.1:1"), "recorder works: " + attempts);
      attempts.clear();
      // ... and then none from mnode.
      run("demo");
      run("--home", home, "init");
      run("--home", home, "remember", "We chose Stripe", "--class", "work", "--tag", "payments");
      run("--home", home, "list", "--json");
      run("--home", home, "classes", "add", "legal");
      run("--home", home, "export", export.toString());
      String id = new String(Files.readAllBytes(export), StandardCharsets.UTF_8).substring(7, 43);
      run("--home", home, "get", id);
      run("--home", home, "update", id, "--pin");
      run("--home", home, "forget", id);
      run("--home", home, "import", export.toString());
      run("--home", home, "status", "--json");
    } finally {
      System.setSecurityManager(null);
    }
    assertEquals(List.of(), attempts);
  }

  private static void run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Mnode.run(
            args,
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of(),
            Clock.systemUTC());
    assertEquals(0, code, String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8));
  }
}
