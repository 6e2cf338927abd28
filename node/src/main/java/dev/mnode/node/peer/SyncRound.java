package dev.mnode.node.peer;

import dev.mnode.crypto.CryptoException;
import dev.mnode.crypto.IdentityKey;
import dev.mnode.crypto.SignedPrekey;
import dev.mnode.node.peer.SyncWire.Frame;
import dev.mnode.node.peer.SyncWire.SyncWireException;
import dev.mnode.node.peer.SyncWire.Type;
import dev.mnode.node.sync.Replica;
import dev.mnode.p2p.P2pException;
import dev.mnode.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import dev.mnode.crdt.VersionVector;
import dev.mnode.crypto.ClassTag;

/**
 * One round of {@code /mnode/sync/1.0.0} between two members, on one stream. The side that opened
 * the stream (the initiator, I) and the other (the responder, R):
 *
 * <ol>
 *   <li>I sends HELLO (heads, prekey, version vectors).
 *   <li>R sends HELLO, then the membership operations I lacks, then END.
 *   <li>I sends the operations R lacks, the key envelopes it sealed to R, the bundles R lacks, END.
 *   <li>R sends the key envelopes it sealed to I, the bundles I lacks, END.
 * </ol>
 *
 * Membership comes first so that each side knows the other's grants before it seals envelopes or
 * picks bundles; the replica never offers bundles of a class the peer does not hold. Only one side
 * writes at a time, so flow control cannot deadlock. Each side applies bundles in chunks of {@link
 * #CHUNK} ({@link Replica#receiveAll}); a bundle the replica refuses is counted and reported, not
 * fatal: what was applied stays applied and the next round resumes from the version vectors.
 */
final class SyncRound {
  private SyncRound() {}

  /** Bundles applied per replica call. */
  static final int CHUNK = 1000;

  /** What a round moved. */
  record Stats(
      int opsIn, int opsOut, int envelopesIn, int envelopesOut, int bundlesIn, int bundlesOut,
      int applied, int refused, long bytesIn, long bytesOut, Map<ClassTag, VersionVector> theirs) {}

  /** Runs the initiator's side with {@code peer}, the authenticated member at the other end. */
  static Stats initiate(Replica r, SyncWire w, IdentityKey peer)
      throws P2pException, SyncWireException, StoreException {
    Counter c = new Counter();
    w.write(Type.HELLO, hello(r).encode());
    w.flush();
    Hello theirs = Hello.decode(w.expect(Type.HELLO).body());
    receive(r, w, c, peer, true);
    learn(r, theirs, peer);
    sendMine(r, w, c, peer, theirs, true);
    receive(r, w, c, peer, false);
    return c.stats(w, after(r, theirs));
  }

  /** The peer's vectors after a round: what it said plus what it got from us, for its classes. */
  private static Map<ClassTag, VersionVector> after(Replica r, Hello theirs) {
    Map<ClassTag, VersionVector> ours = r.versionVectors();
    Map<ClassTag, VersionVector> out = new HashMap<>();
    theirs.vectors().forEach((t, v) -> out.put(t, ours.containsKey(t) ? v.merge(ours.get(t)) : v));
    return out;
  }

  /** Runs the responder's side with {@code peer}. */
  static Stats respond(Replica r, SyncWire w, IdentityKey peer)
      throws P2pException, SyncWireException, StoreException {
    Counter c = new Counter();
    Hello theirs = Hello.decode(w.expect(Type.HELLO).body());
    learn(r, theirs, peer);
    w.write(Type.HELLO, hello(r).encode());
    for (byte[] op : r.operationsFor(theirs.heads())) {
      w.write(Type.OP, op);
      c.opsOut++;
    }
    w.write(Type.END, new byte[0]);
    w.flush();
    receive(r, w, c, peer, false);
    learn(r, theirs, peer);
    sendMine(r, w, c, peer, theirs, false);
    return c.stats(w, after(r, theirs));
  }

  static Hello hello(Replica r) throws StoreException {
    return new Hello(r.heads(), r.prekey().encode(), r.versionVectors());
  }

  /** Takes the peer's prekey (once its membership is known, so after its operations too). */
  private static void learn(Replica r, Hello theirs, IdentityKey peer) throws SyncWireException, StoreException {
    SignedPrekey p;
    try {
      p = SignedPrekey.decode(theirs.prekey());
    } catch (CryptoException e) {
      throw new SyncWireException("hello carries a malformed prekey: " + e.getMessage());
    }
    if (!p.owner().equals(peer)) {
      throw new SyncWireException("hello carries another device's prekey");
    }
    r.learnPrekey(p);
  }

  private static void sendMine(Replica r, SyncWire w, Counter c, IdentityKey peer, Hello theirs, boolean withOps)
      throws P2pException {
    if (withOps) {
      for (byte[] op : r.operationsFor(theirs.heads())) {
        w.write(Type.OP, op);
        c.opsOut++;
      }
    }
    for (byte[] env : r.envelopesFor(peer)) {
      w.write(Type.ENVELOPE, env);
      c.envelopesOut++;
    }
    for (byte[] b : r.missing(peer, theirs.vectors())) {
      w.write(Type.BUNDLE, b);
      c.bundlesOut++;
    }
    w.write(Type.END, new byte[0]);
    w.flush();
  }

  /** Reads frames up to END; operations allowed only where {@code opsOnly} says a phase carries them. */
  private static void receive(Replica r, SyncWire w, Counter c, IdentityKey peer, boolean opsOnly)
      throws P2pException, SyncWireException, StoreException {
    List<byte[]> pending = new ArrayList<>();
    while (true) {
      Frame f = w.read();
      switch (f.type()) {
        case END -> {
          apply(r, pending, c);
          return;
        }
        case OP -> {
          r.receiveOperation(f.body());
          c.opsIn++;
        }
        case ENVELOPE -> {
          if (opsOnly) {
            throw new SyncWireException("a key envelope before the membership phase ended");
          }
          Replica.Outcome o = r.receiveEnvelope(f.body());
          c.envelopesIn++;
          if (o.rejected().isPresent()) {
            c.refused++;
          }
        }
        case BUNDLE -> {
          if (opsOnly) {
            throw new SyncWireException("a bundle before the membership phase ended");
          }
          pending.add(f.body());
          c.bundlesIn++;
          if (pending.size() >= CHUNK) {
            apply(r, pending, c);
          }
        }
        case HELLO -> throw new SyncWireException("a second hello in one round");
      }
    }
  }

  private static void apply(Replica r, List<byte[]> pending, Counter c) throws StoreException {
    if (pending.isEmpty()) {
      return;
    }
    for (Replica.Outcome o : r.receiveAll(List.copyOf(pending))) {
      if (o.rejected().isPresent()) {
        c.refused++;
      } else {
        c.applied += o.applied();
      }
    }
    pending.clear();
  }

  private static final class Counter {
    int opsIn;
    int opsOut;
    int envelopesIn;
    int envelopesOut;
    int bundlesIn;
    int bundlesOut;
    int applied;
    int refused;

    Stats stats(SyncWire w, Map<ClassTag, VersionVector> theirs) {
      return new Stats(opsIn, opsOut, envelopesIn, envelopesOut, bundlesIn, bundlesOut, applied, refused, w.bytesIn(), w.bytesOut(), theirs);
    }
  }
}
