package dev.mnode.node.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crypto.Argon2Params;
import dev.mnode.node.Home;
import dev.mnode.node.NodeException;
import dev.mnode.node.NodeModule;
import dev.mnode.node.PassphraseSource;
import dev.mnode.store.StoreInUseException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A second process that opens a store in use gets "store is in use by pid N" naming the holder. */
class StoreLockProcessTest {
  @TempDir Path tmp;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void secondOpener_isToldThePidOfTheHolder_andMayOpenOnceTheHolderDies() throws Exception {
    Home home = new Home(tmp.resolve("home"));
    NodeModule.init(home, null, Argon2Params.DEFAULT, Clock.systemUTC()).close();
    Process holder = Processes.start(tmp, "hold", home.dir().toString());
    try {
      BufferedReader r =
          new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("ready", r.readLine());
      NodeException e =
          assertThrows(
              NodeException.class,
              () -> NodeModule.open(home, PassphraseSource.NONE, Clock.systemUTC()));
      assertEquals("store is in use by pid " + holder.pid(), e.getMessage());
      assertInstanceOf(StoreInUseException.class, e.getCause());
    } finally {
      holder.destroyForcibly();
      assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
    }
    // The OS released the lock with the killed process: no stale lock remains.
    NodeModule.open(home, PassphraseSource.NONE, Clock.systemUTC()).close();
  }
}
