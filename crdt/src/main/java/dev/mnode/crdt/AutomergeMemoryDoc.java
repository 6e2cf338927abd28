package dev.mnode.crdt;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.Transaction;
import org.jspecify.annotations.Nullable;

/**
 * {@link MemoryDoc} on automerge-java. Holds changes whose dependencies are missing itself ({@link
 * CausalBuffer}) and hands Automerge only changes whose dependencies it has applied, checking after
 * each that Automerge really applied it (0.0.7 ignores what it cannot parse). The memory's layout
 * is {@link MemoryLayout}'s. Confined to one thread.
 */
final class AutomergeMemoryDoc implements MemoryDoc {
  private static final org.automerge.ChangeHash[] NO_HEADS = new org.automerge.ChangeHash[0];

  private final ActorId actor;
  private final Document doc;
  private final CausalBuffer buffer;
  private boolean closed;
  private boolean unusable;

  private AutomergeMemoryDoc(ActorId actor, Document doc) {
    this.actor = actor;
    this.doc = doc;
    this.buffer = new CausalBuffer(MAX_HELD_CHANGES, () -> history(doc));
  }

  static AutomergeMemoryDoc empty(ActorId actor) {
    return new AutomergeMemoryDoc(actor, new Document(actor.bytes().toByteArray()));
  }

  static AutomergeMemoryDoc load(ByteString saved, ActorId actor) throws MalformedException {
    MalformedException.Kind kind = MalformedException.Kind.DOCUMENT;
    if (saved.length() > MAX_SAVED_BYTES) {
      throw new MalformedException(kind, "saved document of " + saved.length() + " bytes; the limit is " + MAX_SAVED_BYTES);
    }
    // 1. Check the framing: one document chunk, then the held changes.
    byte[] in = saved.unsafeArray();
    List<Chunks.Chunk> chunks = Chunks.split(in, MAX_SAVED_BYTES, kind);
    Chunks.Chunk first = chunks.get(0);
    if (first.type() != Chunks.TYPE_DOCUMENT) {
      throw new MalformedException(kind, "a saved document starts with a document chunk, not type " + first.type());
    }
    List<ChangeChunk> held = new ArrayList<>();
    for (Chunks.Chunk c : chunks.subList(1, chunks.size())) {
      try {
        held.add(Chunks.change(in, c));
      } catch (MalformedException e) {
        throw new MalformedException(kind, "held change in saved document: " + e.getMessage(), e);
      }
    }
    // 2. Load the document (which gets a random actor) and fork it to ours.
    Document loaded;
    try {
      loaded = Document.load(Arrays.copyOfRange(in, first.start(), first.end()));
    } catch (RuntimeException e) {
      throw new MalformedException(kind, "Automerge cannot load the document: " + e.getMessage(), e);
    }
    Document forked;
    try {
      forked = loaded.fork(actor.bytes().toByteArray());
    } finally {
      loaded.free();
    }
    // 3. Hold the held changes again.
    AutomergeMemoryDoc d = new AutomergeMemoryDoc(actor, forked);
    if (!held.isEmpty()) {
      try {
        d.applyChanges(Changes.of(held));
      } catch (CrdtException e) {
        d.close();
        throw new MalformedException(kind, "held changes in saved document: " + e.getMessage(), e);
      }
    }
    return d;
  }

  @Override
  public ActorId actor() {
    return actor;
  }

  @Override
  public Changes create(String id, MemoryFields fields) {
    usable();
    Checks.memoryId(id, "id");
    Checks.require(!fields.links().contains(id), "a memory cannot link to itself");
    if (doc.getHeads().length > 0 || !buffer.isEmpty()) {
      throw new IllegalStateException("memory document already has changes; create writes the first one");
    }
    try (Transaction tx = doc.startTransaction()) {
      MemoryLayout.writeNew(tx, id, fields);
      tx.commit();
    }
    return recordLocal(NO_HEADS);
  }

  @Override
  public Optional<Changes> update(MemoryEdit edit) throws MalformedException {
    usable();
    MemoryLayout.Root root = MemoryLayout.root(doc);
    MemoryState current =
        MemoryLayout.read(doc, root)
            .orElseThrow(
                () -> new IllegalStateException(root.forgotten() ? "memory is forgotten" : "memory document is not created yet"));
    MemoryLayout.EditPlan plan = MemoryLayout.EditPlan.of(current, edit);
    if (plan.isEmpty()) {
      return Optional.empty();
    }
    org.automerge.ChangeHash[] before = doc.getHeads();
    try (Transaction tx = doc.startTransaction()) {
      plan.write(tx, root);
      tx.commit();
    }
    return Optional.of(recordLocal(before));
  }

  @Override
  public Optional<Changes> forget() {
    usable();
    MemoryLayout.Root root = MemoryLayout.root(doc);
    if (root.forgotten()) {
      return Optional.empty();
    }
    if (!root.created()) {
      throw new IllegalStateException("memory document is not created yet");
    }
    org.automerge.ChangeHash[] before = doc.getHeads();
    try (Transaction tx = doc.startTransaction()) {
      tx.set(ObjectId.ROOT, MemoryLayout.FORGOTTEN, true);
      tx.commit();
    }
    return Optional.of(recordLocal(before));
  }

  @Override
  public ApplyResult applyChanges(Changes changes) throws CrdtException {
    usable();
    CausalBuffer.Plan plan = buffer.plan(changes);
    // From here on nothing throws before Automerge has refused a change.
    buffer.hold(plan.fresh());
    for (ChangeChunk c : plan.ready()) {
      try {
        doc.applyEncodedChanges(c.bytes().toByteArray());
      } catch (RuntimeException e) {
        throw refused(c, e.getMessage());
      }
      if (!isHead(c.hash())) {
        throw refused(c, "it is not among the heads afterwards");
      }
      buffer.applied(c);
    }
    return new ApplyResult(plan.ready().size(), plan.duplicates(), buffer.heldCount());
  }

  @Override
  public Optional<MemoryState> materialize() throws MalformedException {
    usable();
    return MemoryLayout.read(doc, MemoryLayout.root(doc));
  }

  @Override
  public boolean isForgotten() {
    usable();
    return MemoryLayout.root(doc).forgotten();
  }

  @Override
  public List<ChangeHash> heads() {
    usable();
    List<ChangeHash> heads = new ArrayList<>();
    for (org.automerge.ChangeHash h : doc.getHeads()) {
      heads.add(new ChangeHash(ByteString.wrap(h.getBytes())));
    }
    Collections.sort(heads);
    return List.copyOf(heads);
  }

  @Override
  public Optional<Changes> changesSince(Collection<ChangeHash> heads) {
    usable();
    org.automerge.ChangeHash[] since =
        heads.stream().map(AutomergeMemoryDoc::toAutomerge).toArray(org.automerge.ChangeHash[]::new);
    byte[] bytes = doc.encodeChangesSince(since);
    return bytes.length == 0 ? Optional.empty() : Optional.of(Changes.of(trusted(bytes)));
  }

  @Override
  public int heldCount() {
    usable();
    return buffer.heldCount();
  }

  @Override
  public SortedSet<ChangeHash> missingDependencies() {
    usable();
    return buffer.missing();
  }

  @Override
  public ByteString save() {
    usable();
    byte[] saved = doc.save();
    if (buffer.isEmpty()) {
      return ByteString.wrap(saved);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(saved);
    for (ChangeChunk c : buffer.held()) {
      out.writeBytes(c.bytes().unsafeArray());
    }
    return ByteString.wrap(out.toByteArray());
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      doc.free();
    }
  }

  private void usable() {
    if (closed) {
      throw new IllegalStateException("memory document is closed");
    }
    if (unusable) {
      throw new IllegalStateException("memory document is unusable after Automerge refused a change; load the last save");
    }
  }

  private MalformedException refused(ChangeChunk c, @Nullable String why) {
    unusable = true;
    return new MalformedException(
        MalformedException.Kind.CHANGE, "Automerge refused change " + c.hash().hex() + ": " + why);
  }

  /** Returns the change just committed here: everything not reachable from {@code before}. */
  private Changes recordLocal(org.automerge.ChangeHash[] before) {
    List<ChangeChunk> mine = trusted(doc.encodeChangesSince(before));
    mine.forEach(buffer::applied);
    return Changes.of(mine);
  }

  private boolean isHead(ChangeHash h) {
    for (org.automerge.ChangeHash head : doc.getHeads()) {
      if (Arrays.equals(head.getBytes(), h.bytes().unsafeArray())) {
        return true;
      }
    }
    return false;
  }

  private static List<ChangeChunk> history(Document doc) {
    return doc.getHeads().length == 0 ? List.of() : trusted(doc.encodeChangesSince(NO_HEADS));
  }

  /** Parses change bytes Automerge produced itself. */
  private static List<ChangeChunk> trusted(byte[] bytes) {
    try {
      List<ChangeChunk> out = new ArrayList<>();
      for (Chunks.Chunk c : Chunks.split(bytes, Integer.MAX_VALUE, MalformedException.Kind.CHANGE)) {
        out.add(Chunks.change(bytes, c));
      }
      return out;
    } catch (MalformedException e) {
      throw new IllegalStateException("Automerge produced changes this module cannot read: " + e.getMessage(), e);
    }
  }

  static org.automerge.ChangeHash toAutomerge(ChangeHash h) {
    // automerge-java 0.0.7 has no public way to make a ChangeHash from bytes: its constructor is
    // protected, so an anonymous subclass carries them to the native side. (Its equals() compares
    // classes, so such an instance never equals one Automerge made: compare getBytes() instead.)
    return new org.automerge.ChangeHash(h.bytes().toByteArray()) {};
  }
}
