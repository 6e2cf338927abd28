package dev.mnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crypto.KeyFile;
import dev.mnode.crypto.SealedFile;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.crypto.StorageKey;
import dev.mnode.store.Memory;
import dev.mnode.store.rocks.OldCopyAttack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forgetting is final at rest: a copy of every file of a home but {@code master.key}, taken before
 * a forget, opened afterwards with everything the device then holds (its {@code master.key}, the
 * passphrase, every key and secret of its store) shows no forgotten text once the home is
 * re-keyed ({@link LocalMemoryService#rekeyAtRest}); without the re-key the same attempt finds it
 * (the control), in the store copy and in the recall index snapshot.
 */
class RekeyAtRestTest {
  private static final String FORGOTTEN = "The locker code is 4711";
  @TempDir Path tmp;

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = "a long passphrase")
  void anOldCopyOfTheHome_showsNoForgottenText_afterRekey(@Nullable String passphrase) throws Exception {
    char[] pass = passphrase == null ? null : passphrase.toCharArray();
    PassphraseSource source = () -> pass == null ? null : pass.clone();
    Home home = new Home(tmp.resolve("home"));
    String forgottenId;
    String keptId;
    try (MemoryService svc = NodeModule.init(home, pass == null ? null : pass.clone(), NodeTestSupport.FAST, Clock.systemUTC())) {
      Memory m = svc.remember(new MemoryDraft(FORGOTTEN, "personal", List.of(), null, null, false, Map.of(), List.of()));
      keptId = svc.remember(new MemoryDraft("Water the plants on Sunday", "personal", List.of(), null, null, false, Map.of(), List.of()))
          .id().toString();
      forgottenId = m.id().toString();
      NodeModule.compact(svc, false, ProgressListener.NONE); // writes the recall index snapshot
    }
    assertTrue(Files.exists(home.dir().resolve(Retrieval.FILE)));
    Path oldCopy = tmp.resolve("old-copy");
    copyHome(home.dir(), oldCopy);
    assertFalse(Files.exists(oldCopy.resolve("master.key")));

    try (MemoryService svc = NodeModule.open(home, source, Clock.systemUTC())) {
      svc.forget(forgottenId);
      NodeModule.compact(svc, false, ProgressListener.NONE);
    }
    // Control: forgotten and compacted, not re-keyed: the device's keys open the old copy.
    assertEquals(List.of("store", Retrieval.FILE), hits(home, oldCopy, pass), "the control finds the forgotten text in the old copy");

    List<String> phases = new ArrayList<>();
    byte[] keyFileBefore = Files.readAllBytes(home.keyFile());
    try (MemoryService svc = NodeModule.open(home, source, Clock.systemUTC())) {
      ((LocalMemoryService) svc).rekeyAtRest((phase, done, total) -> phases.add(phase));
      assertEquals(1, svc.status().count());
    }
    assertTrue(phases.contains("re-key: new master key"), phases.toString());
    assertFalse(java.util.Arrays.equals(keyFileBefore, Files.readAllBytes(home.keyFile())), "master.key was replaced");
    assertFalse(Files.exists(home.nextKeyFile()));
    assertEquals(pass != null, KeyFile.isProtected(home.keyFile()), "the new key file is protected as the old one was");
    assertEquals(List.of(), hits(home, oldCopy, pass), "the old copy shows forgotten text to the device's current keys");

    try (MemoryService svc = NodeModule.open(home, source, Clock.systemUTC())) {
      assertEquals(1, svc.status().count());
      assertEquals("Water the plants on Sunday", svc.get(keptId).text());
    }
  }

  /**
   * The files of {@code oldCopy} ("store" for its store) that show {@link #FORGOTTEN} to what the device holds now: its
   * key file (with the passphrase) and every key and secret its current store yields.
   */
  private List<String> hits(Home home, Path oldCopy, char @Nullable [] pass) throws Exception {
    Path live = tmp.resolve("live-" + System.nanoTime());
    copyHome(home.dir(), live);
    List<String> hits = new ArrayList<>();
    try (StorageKey master = KeyFile.open(home.keyFile(), pass == null ? null : pass.clone())) {
      OldCopyAttack.Opened now = OldCopyAttack.open(live.resolve("store"), List.of(master), List.of());
      assertTrue(now.memories() > 0, "the current keys open the current store");
      List<StorageKey> held = new ArrayList<>(now.storageKeys());
      List<SecretBytes> secrets = new ArrayList<>(now.secretValues());
      OldCopyAttack.Opened old = OldCopyAttack.open(oldCopy.resolve("store"), List.of(master), held);
      if (old.mentions(FORGOTTEN)) {
        hits.add("store");
      }
      secrets.addAll(old.secretValues());
      String vault = now.vault();
      for (Path f : List.of(oldCopy.resolve(Retrieval.FILE), oldCopy.resolve("uses.sealed"))) {
        if (Files.exists(f) && opensShowing(f, secrets, vault)) {
          hits.add(f.getFileName().toString());
        }
      }
      try (Stream<Path> files = Files.walk(oldCopy)) {
        for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.startsWith(oldCopy.resolve("store"))).toList()) {
          if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(FORGOTTEN)) {
            hits.add(oldCopy.relativize(f).toString()); // in clear in some other file
          }
        }
      }
    }
    return hits;
  }

  /** Whether {@code f} opens under one of {@code secrets} (as a file key) and shows the text. */
  private static boolean opensShowing(Path f, List<SecretBytes> secrets, String vault) throws IOException {
    for (SecretBytes s : secrets) {
      if (s.length() != SealedFile.KEY_BYTES) {
        continue;
      }
      for (String ad : List.of("mnode/recall-index/v1|" + vault, "mnode/use-log/v1|" + vault)) {
        try (SealedFile key = SealedFile.of(s)) {
          byte[] plain = key.read(f, ad.getBytes(StandardCharsets.US_ASCII), in -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
          });
          if (new String(plain, StandardCharsets.UTF_8).contains(FORGOTTEN)) {
            return true;
          }
        } catch (dev.mnode.crypto.CryptoException | IOException e) {
          // not this key or not this file
        }
      }
    }
    return false;
  }

  /** Copies every file of a home except {@code master.key} (and the store's lock files). */
  static void copyHome(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path t = to.resolve(from.relativize(f).toString());
        String name = f.getFileName().toString();
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
        } else if (!name.equals("master.key") && !name.equals("LOCK") && !name.equals("mnode.pid")) {
          Files.copy(f, t);
        }
      }
    }
  }
}
