package dev.mnode.crdt;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the framing of Automerge's binary format, so that bytes from elsewhere are checked before
 * Automerge sees them (automerge-java 0.0.7 silently ignores bytes it cannot parse when it applies
 * them to a non-empty document). Every chunk, document or change, is framed as:
 *
 * <pre>
 * magic 85 6f 4a 83 | checksum (4) | chunk type u8 | body length uLEB128 | body
 *   checksum = first 4 bytes of SHA-256(chunk type | body length | body)
 *   chunk type: 0 document, 1 change, 2 compressed change
 * </pre>
 *
 * and the body of a change starts with:
 *
 * <pre>
 * dependency count uLEB128 | count x hash (32) | actor length uLEB128 | actor | seq uLEB128 | ...
 * </pre>
 *
 * The change's hash is the whole SHA-256 above. Stateless.
 */
final class Chunks {
  static final int TYPE_DOCUMENT = 0;
  static final int TYPE_CHANGE = 1;
  static final int TYPE_COMPRESSED_CHANGE = 2;
  private static final byte[] MAGIC = {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83};
  private static final int HEADER = 9;

  private Chunks() {}

  /** One chunk of an input: where it is, its type and the SHA-256 of its checked part. */
  record Chunk(int type, int start, int end, ByteString sha256) {}

  /**
   * Splits {@code in} into whole chunks, verifying magic, length and checksum of each.
   *
   * @throws MalformedException of {@code kind} if the bytes are empty, cut short, carry a chunk
   *     longer than {@code maxChunkBytes}, or a checksum does not match
   */
  static List<Chunk> split(byte[] in, int maxChunkBytes, MalformedException.Kind kind)
      throws MalformedException {
    if (in.length == 0) {
      throw new MalformedException(kind, "no Automerge chunk: the input is empty");
    }
    List<Chunk> chunks = new ArrayList<>();
    int pos = 0;
    while (pos < in.length) {
      int at = pos;
      if (in.length - pos < HEADER + 1
          || !Arrays.equals(in, pos, pos + 4, MAGIC, 0, 4)) {
        throw new MalformedException(kind, "no Automerge chunk at byte " + at);
      }
      int type = in[pos + 8] & 0xff;
      Reader r = new Reader(in, pos + HEADER, in.length, kind);
      long length = r.uleb();
      if (length > maxChunkBytes || length > in.length - r.pos) {
        throw new MalformedException(
            kind,
            "chunk at byte " + at + " claims " + length + " bytes; "
                + Math.min(maxChunkBytes, in.length - r.pos) + " are allowed there");
      }
      int end = r.pos + (int) length;
      MessageDigest sha = Sha256.newDigest();
      sha.update(in, pos + 8, end - (pos + 8));
      byte[] hash = sha.digest();
      if (!Arrays.equals(hash, 0, 4, in, pos + 4, pos + 8)) {
        throw new MalformedException(kind, "bad checksum in the chunk at byte " + at);
      }
      chunks.add(new Chunk(type, pos, end, ByteString.wrap(hash)));
      pos = end;
    }
    return chunks;
  }

  /**
   * Reads the hash, dependencies, actor and seq of a change chunk.
   *
   * @throws MalformedException (CHANGE) if the chunk is not an uncompressed change or its header is
   *     cut short or out of bounds
   */
  static ChangeChunk change(byte[] in, Chunk c) throws MalformedException {
    MalformedException.Kind kind = MalformedException.Kind.CHANGE;
    if (c.type() != TYPE_CHANGE) {
      throw new MalformedException(
          kind,
          "chunk at byte " + c.start() + " has type " + c.type()
              + (c.type() == TYPE_COMPRESSED_CHANGE
                  ? " (compressed change): only uncompressed changes are accepted"
                  : "; a change was expected"));
    }
    Reader r = new Reader(in, c.start() + HEADER, c.end(), kind);
    r.uleb(); // body length, checked by split
    long depCount = r.uleb();
    if (depCount > (c.end() - r.pos) / ChangeHash.BYTES) {
      throw new MalformedException(kind, "change at byte " + c.start() + " claims " + depCount + " dependencies");
    }
    List<ChangeHash> deps = new ArrayList<>((int) depCount);
    for (int i = 0; i < depCount; i++) {
      deps.add(new ChangeHash(ByteString.copyOf(r.take(ChangeHash.BYTES))));
    }
    long actorLength = r.uleb();
    if (actorLength < 1 || actorLength > ActorId.MAX_BYTES) {
      throw new MalformedException(kind, "change at byte " + c.start() + " has an actor of " + actorLength + " bytes");
    }
    ActorId actor = new ActorId(ByteString.wrap(r.take((int) actorLength)));
    long seq = r.uleb();
    if (seq < 1) {
      throw new MalformedException(kind, "change at byte " + c.start() + " has seq " + seq);
    }
    return new ChangeChunk(
        new ChangeHash(c.sha256()),
        actor,
        seq,
        List.copyOf(deps),
        ByteString.copyOf(in, c.start(), c.end()));
  }

  /** Reads LEB128 integers and byte runs within [pos, end). Confined to one call. */
  private static final class Reader {
    private final byte[] in;
    private final int end;
    private final MalformedException.Kind kind;
    int pos;

    Reader(byte[] in, int pos, int end, MalformedException.Kind kind) {
      this.in = in;
      this.pos = pos;
      this.end = end;
      this.kind = kind;
    }

    /** An unsigned LEB128 of at most 9 bytes (63 bits, so never negative). */
    long uleb() throws MalformedException {
      long value = 0;
      for (int shift = 0; shift < 63; shift += 7) {
        if (pos >= end) {
          throw new MalformedException(kind, "cut short inside a number at byte " + pos);
        }
        int b = in[pos++] & 0xff;
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw new MalformedException(kind, "number too large at byte " + pos);
    }

    byte[] take(int n) throws MalformedException {
      if (end - pos < n) {
        throw new MalformedException(kind, "cut short at byte " + pos);
      }
      byte[] out = Arrays.copyOfRange(in, pos, pos + n);
      pos += n;
      return out;
    }
  }
}
