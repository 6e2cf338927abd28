package dev.mnode.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crypto.KeyFile;
import dev.mnode.crypto.SealedFile;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.crypto.StorageKey;
import dev.mnode.store.rocks.OldCopyAttack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * An adversary who copied every file of a home but {@code master.key} earlier, and now holds
 * everything the device holds (its key file, the passphrase, every key and secret of its current
 * store): which old files show a given text.
 */
public final class OldHomeAttack {
  private OldHomeAttack() {}

  /**
   * The files of {@code oldCopy} ("store" for its store) that show {@code text} to what the device holds now: its
   * key file (with the passphrase) and every key and secret its current store yields.
   */
  public static List<String> hits(Home home, Path oldCopy, char @Nullable [] pass, String text, Path scratch) throws Exception {
    Path live = scratch.resolve("live-" + System.nanoTime());
    copyHome(home.dir(), live);
    List<String> hits = new ArrayList<>();
    try (StorageKey master = KeyFile.open(home.keyFile(), pass == null ? null : pass.clone())) {
      OldCopyAttack.Opened now = OldCopyAttack.open(live.resolve("store"), List.of(master), List.of());
      assertTrue(now.memories() > 0, "the current keys open the current store");
      List<StorageKey> held = new ArrayList<>(now.storageKeys());
      List<SecretBytes> secrets = new ArrayList<>(now.secretValues());
      OldCopyAttack.Opened old = OldCopyAttack.open(oldCopy.resolve("store"), List.of(master), held);
      if (old.mentions(text)) {
        hits.add("store");
      }
      secrets.addAll(old.secretValues());
      String vault = now.vault();
      for (Path f : List.of(oldCopy.resolve(Retrieval.FILE), oldCopy.resolve("uses.sealed"))) {
        if (Files.exists(f) && opensShowing(f, secrets, vault, text)) {
          hits.add(f.getFileName().toString());
        }
      }
      try (Stream<Path> files = Files.walk(oldCopy)) {
        for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.startsWith(oldCopy.resolve("store"))).toList()) {
          if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(text)) {
            hits.add(oldCopy.relativize(f).toString()); // in clear in some other file
          }
        }
      }
    }
    return hits;
  }

  /** Whether {@code f} opens under one of {@code secrets} (as a file key) and shows {@code text}. */
  private static boolean opensShowing(Path f, List<SecretBytes> secrets, String vault, String text) throws IOException {
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
          if (new String(plain, StandardCharsets.UTF_8).contains(text)) {
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
  public static void copyHome(Path from, Path to) throws IOException {
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
