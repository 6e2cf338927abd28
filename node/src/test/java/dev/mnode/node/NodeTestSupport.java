package dev.mnode.node;

import dev.mnode.crypto.Argon2Params;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/** Small helpers shared by the node's tests: a fresh home, export bytes, import from text. */
public final class NodeTestSupport {
  /** Small but valid Argon2id cost, so that passphrase tests stay fast. */
  public static final Argon2Params FAST = new Argon2Params(Argon2Params.MIN_MEMORY_KIB, 1, 1);

  private NodeTestSupport() {}

  /** Creates a new home without a passphrase under {@code parent/name}. */
  static MemoryService init(Path parent, String name, Clock clock) throws NodeException {
    return NodeModule.init(new Home(parent.resolve(name)), null, FAST, clock);
  }

  static byte[] export(MemoryService svc) throws NodeException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    svc.exportJsonLines(out, ProgressListener.NONE);
    return out.toByteArray();
  }

  static String exportText(MemoryService svc) throws NodeException {
    return new String(export(svc), StandardCharsets.UTF_8);
  }

  static ImportSummary importBytes(MemoryService svc, byte[] bytes) throws NodeException {
    return svc.importJsonLines(new ByteArrayInputStream(bytes), bytes.length, ProgressListener.NONE);
  }

  static ImportSummary importText(MemoryService svc, String jsonLines) throws NodeException {
    return importBytes(svc, jsonLines.getBytes(StandardCharsets.UTF_8));
  }

  static long count(MemoryService svc) throws NodeException {
    return svc.status().count();
  }

  /** Concatenates byte arrays. */
  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
