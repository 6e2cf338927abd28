package dev.mnode.node.peer;

import dev.mnode.crdt.MalformedException;
import dev.mnode.crdt.VersionVector;
import dev.mnode.crdt.membership.OperationId;
import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.SignedPrekey;
import dev.mnode.node.peer.SyncWire.SyncWireException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The first frame each side sends in a round: its membership heads, its current signed prekey and
 * its version vector of each class it holds.
 *
 * <pre>
 * version u8 = 1
 * heads   u16 count, 32 bytes each
 * prekey  SignedPrekey.ENCODED_BYTES
 * classes u16 count, each: tag (16) | u32 length | VersionVector encoding
 * </pre>
 */
record Hello(List<OperationId> heads, byte[] prekey, Map<ClassTag, VersionVector> vectors) {
  static final int MAX_HEADS = 4096;
  static final int MAX_CLASSES = 256;

  byte[] encode() {
    List<byte[]> vv = new ArrayList<>();
    int size = 1 + 2 + heads.size() * OperationId.BYTES + prekey.length + 2;
    for (VersionVector v : vectors.values()) {
      byte[] e = v.encode();
      vv.add(e);
      size += ClassTag.BYTES + 4 + e.length;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put((byte) 1).putShort((short) heads.size());
    heads.forEach(h -> b.put(h.bytes().toByteArray()));
    b.put(prekey).putShort((short) vectors.size());
    int i = 0;
    for (ClassTag t : vectors.keySet()) {
      byte[] e = vv.get(i++);
      b.put(t.tag().toByteArray()).putInt(e.length).put(e);
    }
    return b.array();
  }

  static Hello decode(byte[] body) throws SyncWireException {
    try {
      ByteBuffer b = ByteBuffer.wrap(body);
      if (b.get() != 1) {
        throw new SyncWireException("hello of an unknown version");
      }
      int nHeads = Short.toUnsignedInt(b.getShort());
      if (nHeads > MAX_HEADS) {
        throw new SyncWireException("hello names " + nHeads + " heads (limit " + MAX_HEADS + ")");
      }
      List<OperationId> heads = new ArrayList<>(nHeads);
      for (int i = 0; i < nHeads; i++) {
        heads.add(new OperationId(Bytes.copyOf(take(b, OperationId.BYTES))));
      }
      byte[] prekey = take(b, SignedPrekey.ENCODED_BYTES);
      int nClasses = Short.toUnsignedInt(b.getShort());
      if (nClasses > MAX_CLASSES) {
        throw new SyncWireException("hello names " + nClasses + " classes (limit " + MAX_CLASSES + ")");
      }
      Map<ClassTag, VersionVector> vectors = new LinkedHashMap<>();
      for (int i = 0; i < nClasses; i++) {
        ClassTag t = new ClassTag(Bytes.copyOf(take(b, ClassTag.BYTES)));
        int len = b.getInt();
        if (len < 0 || len > b.remaining()) {
          throw new SyncWireException("hello's version vector runs past its end");
        }
        vectors.put(t, VersionVector.decode(take(b, len)));
      }
      if (b.hasRemaining()) {
        throw new SyncWireException("hello has " + b.remaining() + " bytes after its end");
      }
      return new Hello(heads, prekey, vectors);
    } catch (BufferUnderflowException e) {
      throw new SyncWireException("hello is truncated");
    } catch (MalformedException | IllegalArgumentException e) {
      throw new SyncWireException("hello is malformed: " + e.getMessage());
    }
  }

  private static byte[] take(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }
}
