package dev.mnode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.Permission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
    CliHarness cli = new CliHarness(tmp.resolve("home"));
    Path export = tmp.resolve("out.jsonl");
    System.setSecurityManager(recorder);
    try {
      // The recorder sees a real attempt (a refused connection to a closed loopback port) ...
      try (java.net.Socket s = new java.net.Socket()) {
        s.connect(new java.net.InetSocketAddress("127.0.0.1", 1), 200);
      } catch (java.io.IOException expected) {
        // nothing listens there
      }
      assertTrue(attempts.contains("connect 127.0.0.1:1"), "recorder works: " + attempts);
      attempts.clear();
      // ... and then none from mnode.
      cli.ok("demo");
      cli.init();
      String id = cli.remember("We chose Stripe", "--class", "work", "--tag", "payments");
      cli.ok("list", "--json");
      cli.ok("classes", "add", "legal");
      cli.ok("export", export.toString());
      cli.ok("get", id);
      cli.ok("update", id, "--pin");
      cli.ok("forget", id);
      cli.ok("import", export.toString());
      cli.ok("remember", "We chose Stripe over Adyen", "--class", "work");
      cli.ok("remember", "we chose stripe over adyen", "--class", "work");
      cli.ok("remember", "Dentist appointment on Friday at nine");
      cli.ok("remember", "zq", "--json");
      cli.ok("review", "--json");
      cli.ok("recall", "which payment provider?", "--explain");
      cli.ok("recall", "payments", "--class", "work", "--json");
      cli.ok("reindex");
      cli.ok("compact", "--dry-run");
      cli.ok("compact", "--json");
      cli.ok("list", "--archived");
      cli.ok("recall", "payments", "--archived");
      cli.ok("status", "--json");
    } finally {
      System.setSecurityManager(null);
    }
    assertEquals(List.of(), attempts);
  }
}
