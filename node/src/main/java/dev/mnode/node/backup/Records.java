package dev.mnode.node.backup;

import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The plaintext inside a backup archive: a stream of records, each
 *
 * <pre>
 * +---------+------------+----------------------+
 * | type u8 | length u32 | payload (length)     |   length at most {@link #MAX_PAYLOAD}
 * +---------+------------+----------------------+
 * INFO   (1)  format u16 | vault id str | created i64 ms | device str | memories i64
 * FILE   (2)  name str | bytes              a file of the home (config.json)
 * CLASS  (3)  name str
 * SECRET (4)  name str | bytes              a store secret
 * SYNC   (5)  family str | sealed-for str ("" = master key) | key bytes | value bytes
 * MEMORY (6)  id 16 | text str | class str | tags n u16 str* | importance f64 | source str |
 *             created i64 s, i32 ns | updated i64 s, i32 ns | pinned u8 |
 *             metadata n u16 (str str)* | links n u16 (id 16)*
 * END    (127) classes i64 | secrets i64 | sync rows i64 | memories i64 | files i64
 * str = u32 length | UTF-8; bytes = u32 length | bytes
 * </pre>
 *
 * INFO comes first, END last and nothing after it; the counts in END must match the records read,
 * so a stream cut at a record boundary is refused even before the cipher's own check. Not
 * thread-safe.
 */
final class Records {
  static final int FORMAT = 1;
  static final int INFO = 1;
  static final int FILE = 2;
  static final int CLASS = 3;
  static final int SECRET = 4;
  static final int SYNC = 5;
  static final int MEMORY = 6;
  static final int END = 127;

  /** Largest record payload: a sync value (a snapshot bundle) is the largest thing kept. */
  static final int MAX_PAYLOAD = 64 << 20;

  private Records() {}

  /** Builds one record's payload. */
  static final class Out {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
    private final DataOutputStream data = new DataOutputStream(buf);

    Out str(String s) throws IOException {
      return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    Out bytes(byte[] b) throws IOException {
      data.writeInt(b.length);
      data.write(b);
      return this;
    }

    Out i64(long v) throws IOException {
      data.writeLong(v);
      return this;
    }

    Out u16(int v) throws IOException {
      data.writeShort(v);
      return this;
    }

    /** Writes the record of {@code type} with this payload to {@code out}; resets this builder. */
    void writeTo(OutputStream out, int type) throws IOException {
      data.flush();
      DataOutputStream o = new DataOutputStream(out);
      o.writeByte(type);
      o.writeInt(buf.size());
      buf.writeTo(o);
      buf.reset();
    }

    Out memory(Memory m) throws IOException {
      data.write(m.id().toBytes());
      str(m.text());
      str(m.memoryClass().name());
      data.writeShort(m.tags().size());
      for (String t : m.tags()) {
        str(t);
      }
      data.writeDouble(m.importance());
      str(m.source());
      data.writeLong(m.created().getEpochSecond());
      data.writeInt(m.created().getNano());
      data.writeLong(m.updated().getEpochSecond());
      data.writeInt(m.updated().getNano());
      data.writeBoolean(m.pinned());
      data.writeShort(m.metadata().size());
      for (var e : m.metadata().entrySet()) {
        str(e.getKey());
        str(e.getValue());
      }
      data.writeShort(m.links().size());
      for (MemoryId l : m.links()) {
        data.write(l.toBytes());
      }
      return this;
    }
  }

  /** One record read back. */
  record Record(int type, byte[] payload) {
    In in() {
      return new In(payload);
    }
  }

  /**
   * Reads the next record of {@code in}, or null at a clean end of stream.
   *
   * @throws BackupFormatException if the stream ends inside a record or a record is too large
   */
  static Record read(InputStream in) throws IOException {
    int type = in.read();
    if (type < 0) {
      return null;
    }
    DataInputStream d = new DataInputStream(in);
    try {
      int length = d.readInt();
      if (length < 0 || length > MAX_PAYLOAD) {
        throw new BackupFormatException("a record of the backup claims " + Integer.toUnsignedString(length) + " bytes");
      }
      byte[] payload = new byte[length];
      d.readFully(payload);
      return new Record(type, payload);
    } catch (EOFException e) {
      throw new BackupFormatException("the backup ends inside a record");
    }
  }

  /** Reads a record's payload; every read is bounded by what the payload holds. */
  static final class In {
    private final DataInputStream data;

    In(byte[] payload) {
      this.data = new DataInputStream(new java.io.ByteArrayInputStream(payload));
    }

    String str() throws IOException {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    byte[] bytes() throws IOException {
      int n = data.readInt();
      if (n < 0 || n > data.available()) {
        throw new BackupFormatException("a field of the backup overruns its record");
      }
      return data.readNBytes(n);
    }

    long i64() throws IOException {
      return data.readLong();
    }

    int u16() throws IOException {
      return data.readUnsignedShort();
    }

    private MemoryId id() throws IOException {
      byte[] b = new byte[16];
      data.readFully(b);
      return MemoryId.fromBytes(b, 0);
    }

    /** Checks that the payload was read to its end. */
    void end() throws IOException {
      if (data.available() != 0) {
        throw new BackupFormatException("a record of the backup holds more than its fields");
      }
    }

    Memory memory() throws IOException {
      try {
        MemoryId id = id();
        String text = str();
        MemoryClass c = new MemoryClass(str());
        List<String> tags = new ArrayList<>();
        for (int i = u16(); i > 0; i--) {
          tags.add(str());
        }
        double importance = data.readDouble();
        String source = str();
        Instant created = Instant.ofEpochSecond(data.readLong(), data.readInt());
        Instant updated = Instant.ofEpochSecond(data.readLong(), data.readInt());
        boolean pinned = data.readBoolean();
        TreeMap<String, String> meta = new TreeMap<>();
        for (int i = u16(); i > 0; i--) {
          meta.put(str(), str());
        }
        List<MemoryId> links = new ArrayList<>();
        for (int i = u16(); i > 0; i--) {
          links.add(id());
        }
        end();
        return new Memory(id, text, c, tags, importance, source, created, updated, pinned, meta, links);
      } catch (EOFException | IllegalArgumentException | java.time.DateTimeException e) {
        throw new BackupFormatException("a memory in the backup is malformed: " + e.getMessage());
      }
    }
  }

  /** The archive's plaintext breaks its format (only a bug or a forged key could get here). */
  static final class BackupFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    BackupFormatException(String message) {
      super(message);
    }
  }
}
