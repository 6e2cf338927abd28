package dev.mnode.store.rocks;

import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The plaintext form of a memory's sealed fields (everything but id and class, which the key and
 * the value header carry). Version 1, big-endian:
 *
 * <pre>
 * u8  version = 1
 * u32 text length, text (UTF-8)
 * u16 tag count,  per tag:  u16 length, UTF-8
 * f64 importance
 * u16 source length, UTF-8
 * i64 created seconds, i32 created nanos
 * i64 updated seconds, i32 updated nanos
 * u8  pinned (0 or 1)
 * u16 metadata count, per entry: u16 key length, key, u32 value length, value (UTF-8)
 * u16 link count, per link: 16-byte id
 * </pre>
 *
 * Stateless and thread-safe.
 */
final class MemoryCodec {
  static final int VERSION = 1;

  private MemoryCodec() {}

  static byte[] encode(Memory m) {
    byte[] text = utf8(m.text());
    List<byte[]> tags = new ArrayList<>(m.tags().size());
    int size = 1 + 4 + text.length + 2 + 8 + 2 + 12 + 12 + 1 + 2 + 2 + m.links().size() * 16;
    for (String t : m.tags()) {
      byte[] b = utf8(t);
      tags.add(b);
      size += 2 + b.length;
    }
    byte[] source = utf8(m.source());
    size += source.length;
    List<byte[]> meta = new ArrayList<>(m.metadata().size() * 2);
    for (var e : m.metadata().entrySet()) {
      byte[] k = utf8(e.getKey());
      byte[] v = utf8(e.getValue());
      meta.add(k);
      meta.add(v);
      size += 2 + k.length + 4 + v.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put((byte) VERSION);
    out.putInt(text.length).put(text);
    out.putShort((short) tags.size());
    for (byte[] t : tags) {
      out.putShort((short) t.length).put(t);
    }
    out.putDouble(m.importance());
    out.putShort((short) source.length).put(source);
    putInstant(out, m.created());
    putInstant(out, m.updated());
    out.put((byte) (m.pinned() ? 1 : 0));
    out.putShort((short) (meta.size() / 2));
    for (int i = 0; i < meta.size(); i += 2) {
      out.putShort((short) meta.get(i).length).put(meta.get(i));
      out.putInt(meta.get(i + 1).length).put(meta.get(i + 1));
    }
    out.putShort((short) m.links().size());
    for (MemoryId l : m.links()) {
      out.put(l.toBytes());
    }
    return out.array();
  }

  /**
   * Decodes fields written by {@link #encode}.
   *
   * @throws IllegalArgumentException when the bytes are not a valid version-1 encoding
   */
  static Memory decode(MemoryId id, MemoryClass memoryClass, byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      int version = in.get() & 0xff;
      if (version != VERSION) {
        throw new IllegalArgumentException("unknown memory encoding version " + version);
      }
      String text = string(in, in.getInt());
      int tagCount = in.getShort() & 0xffff;
      List<String> tags = new ArrayList<>(tagCount);
      for (int i = 0; i < tagCount; i++) {
        tags.add(string(in, in.getShort() & 0xffff));
      }
      double importance = in.getDouble();
      String source = string(in, in.getShort() & 0xffff);
      Instant created = getInstant(in);
      Instant updated = getInstant(in);
      boolean pinned = in.get() != 0;
      int metaCount = in.getShort() & 0xffff;
      TreeMap<String, String> metadata = new TreeMap<>();
      for (int i = 0; i < metaCount; i++) {
        String k = string(in, in.getShort() & 0xffff);
        metadata.put(k, string(in, in.getInt()));
      }
      int linkCount = in.getShort() & 0xffff;
      List<MemoryId> links = new ArrayList<>(linkCount);
      for (int i = 0; i < linkCount; i++) {
        byte[] b = new byte[MemoryId.BYTES];
        in.get(b);
        links.add(MemoryId.fromBytes(b, 0));
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " trailing bytes");
      }
      return new Memory(
          id, text, memoryClass, tags, importance, source, created, updated, pinned, metadata,
          links);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated memory encoding");
    }
  }

  private static void putInstant(ByteBuffer out, Instant t) {
    out.putLong(t.getEpochSecond()).putInt(t.getNano());
  }

  private static Instant getInstant(ByteBuffer in) {
    long s = in.getLong();
    int n = in.getInt();
    return Instant.ofEpochSecond(s, n);
  }

  private static String string(ByteBuffer in, int len) {
    if (len < 0 || len > in.remaining()) {
      throw new IllegalArgumentException("string length " + len + " exceeds the encoding");
    }
    String s = new String(in.array(), in.position(), len, StandardCharsets.UTF_8);
    in.position(in.position() + len);
    return s;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
