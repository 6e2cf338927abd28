package dev.mnode.bench;

import dev.mnode.crypto.BundleException;
import dev.mnode.crypto.BundleHeader;
import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.ClassKeyring;
import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.SealedBundle;
import dev.mnode.crypto.SecretBytes;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code bin/bench bundles}: seal and open throughput of sync bundles, one memory of a given size
 * per bundle, and the bytes a bundle adds to what it carries. One thread; bounded by count and by
 * time.
 */
final class BundleBench {
  private static final int WARMUP = 2_000;
  private static final int COUNT = 20_000;
  private static final long MAX_NANOS = 20_000_000_000L;

  private BundleBench() {}

  static void run(PrintStream out) throws BundleException {
    DeviceIdentity author = DeviceIdentity.generate();
    ClassTag tag = ClassTag.of(SecretBytes.random(32), "work");
    ClassKeyring keys = new ClassKeyring();
    int epoch = keys.newEpoch(tag);
    SecretBytes key = keys.key(tag, epoch).orElseThrow();
    Bytes vault = Bytes.copyOf(new byte[16]);
    Random random = new Random(1);
    Table speed =
        new Table(
            "Sealed bundles, one memory per bundle, one thread (" + COUNT + " after " + WARMUP + " warm-up, or 20 s)",
            1, "body", "bundle bytes", "overhead", "seal/s", "seal MB/s", "open/s", "open MB/s");
    for (int size : new int[] {300, 1024, 4096}) {
      byte[] body = new byte[size];
      random.nextBytes(body);
      List<byte[]> sealed = new ArrayList<>(COUNT);
      long seq = 1;
      for (int i = 0; i < WARMUP; i++) {
        SealedBundle.decode(seal(author, vault, tag, epoch, key, seq++, body).encode()).open(keys);
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < COUNT && System.nanoTime() - t0 < MAX_NANOS; i++) {
        sealed.add(seal(author, vault, tag, epoch, key, seq++, body).encode());
      }
      double sealSecs = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      int opened = 0;
      for (byte[] b : sealed) {
        if (System.nanoTime() - t1 > MAX_NANOS) {
          break;
        }
        SealedBundle.decode(b).open(keys);
        opened++;
      }
      double openSecs = (System.nanoTime() - t1) / 1e9;
      int bundleBytes = sealed.get(0).length;
      speed.row(
          size + " B",
          Integer.toString(bundleBytes),
          (bundleBytes - size) + " B",
          String.format(Locale.ROOT, "%,.0f", sealed.size() / sealSecs),
          String.format(Locale.ROOT, "%.1f", sealed.size() * (double) size / sealSecs / 1e6),
          String.format(Locale.ROOT, "%,.0f", opened / openSecs),
          String.format(Locale.ROOT, "%.1f", opened * (double) size / openSecs / 1e6));
    }
    speed.print(out);
    out.println("open = parse, verify the Ed25519 signature, derive the key (HKDF), decrypt (XChaCha20-Poly1305), unpad.");
  }

  private static SealedBundle seal(
      DeviceIdentity author, Bytes vault, ClassTag tag, int epoch, SecretBytes key, long seq, byte[] body) {
    BundleHeader h = new BundleHeader(vault, tag, author.publicKey(), seq, epoch, Instant.EPOCH);
    return SealedBundle.seal(author, h, key, body);
  }
}
