package dev.mnode.node.relay;

import dev.mnode.cloud.BlobInfo;
import dev.mnode.cloud.BlobStore;
import dev.mnode.cloud.BlobStoreException;
import dev.mnode.cloud.BlobStores;
import dev.mnode.cloud.Page;
import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.CryptoException;
import dev.mnode.crypto.IdentityKey;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.crypto.SignedPrekey;
import dev.mnode.node.Home;
import dev.mnode.node.LocalMemoryService;
import dev.mnode.node.NodeException;
import dev.mnode.node.ProgressListener;
import dev.mnode.node.relay.Segment.Entry;
import dev.mnode.node.relay.Segment.Kind;
import dev.mnode.node.sync.Replica;
import dev.mnode.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One round of relay sync: download what other devices put at the relay, then upload what this
 * device has not put there yet.
 *
 * <p>Download: list the vault's prefix (paged), fetch each name not processed before, open it
 * (AEAD under the relay key, the name as associated data), decode it strictly and check that it is
 * of this vault and that its name is the one its device and counter give. A blob that fails any of
 * this is reported and not applied. From all blobs that passed, the replica gets the membership
 * operations first, then prekeys, key envelopes and finally bundles, so that what an item depends
 * on arrives before it; the replica verifies every signature and membership rule itself.
 *
 * <p>Upload: the operations, prekey and envelopes not sent before (by hash) and this device's own
 * bundles above the seq sent per class, batched into segments of about 1 MiB, each put once
 * (put-if-absent) under the name of this device's next counter.
 *
 * <p>Every round lists every name under the prefix: ceil(blobs / 1000) list calls. See docs/relay.md
 * for the measured cost and the per-author manifest that would bound it.
 */
public final class RelaySync {
  /** Bundles applied per replica call. */
  static final int CHUNK = 1000;
  /** Names tried past a taken one before giving up (another copy of this device's state wrote them). */
  static final int MAX_TAKEN = 100_000;

  private RelaySync() {}

  /** Where this home keeps its state for {@code relay}. */
  public static Path stateFile(Home home, java.net.URI relay) {
    return home.dir().resolve("relay-state").resolve(sha256(relay.toString()).substring(0, 32) + ".state");
  }

  /**
   * Opens {@code relay} (credentials from {@code env} unless the relay has its own) and runs one
   * round for {@code svc}'s vault.
   *
   * @throws NodeException if the relay cannot be reached or refuses us (one line, no credentials),
   *     or the store fails; what was applied or uploaded before stays so
   */
  public static RelayReport round(
      LocalMemoryService svc, Home home, Relay relay, Map<String, String> env, ProgressListener progress, Consumer<String> warn)
      throws NodeException {
    try (BlobStore store = BlobStores.open(relay.uri(), relay.options(env))) {
      return round(svc, store, relay.uri().toString(), stateFile(home, relay.uri()), progress, warn);
    } catch (BlobStoreException e) {
      throw new NodeException("relay " + relay.uri() + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new dev.mnode.node.InvalidInputException(e.getMessage());
    }
  }

  /** Runs one round over an open {@code store}, keeping this device's state for it in {@code stateFile}. */
  public static RelayReport round(
      LocalMemoryService svc, BlobStore store, String relayId, Path stateFile, ProgressListener progress, Consumer<String> warn)
      throws NodeException, BlobStoreException {
    Replica r = svc.replica();
    try (SecretBytes vaultSecret = svc.vaultSecretForPairing();
        RelayKeys keys = new RelayKeys(vaultSecret, r.vault())) {
      RelayState state = RelayState.load(stateFile, relayId, keys, warn);
      Counter c = new Counter();
      try {
        download(r, store, keys, state, c, progress);
        state.save(keys);
        long compactions = r.compactions();
        if (compactions == state.compactions && !scattered(state)) {
          upload(r, store, keys, state, c, progress);
        } else {
          rebase(r, store, keys, state, c, progress, compactions);
        }
      } catch (StoreException e) {
        throw new NodeException("relay " + relayId + ": " + e.getMessage(), e);
      } finally {
        state.save(keys);
      }
      return c.report(relayId);
    }
  }

  // ---- download

  private static void download(Replica r, BlobStore store, RelayKeys keys, RelayState state, Counter c, ProgressListener progress)
      throws BlobStoreException, StoreException {
    Map<String, BlobInfo> listed = new LinkedHashMap<>();
    String token = null;
    do {
      Page p = store.list(keys.prefix() + "/", token, BlobStore.MAX_PAGE_SIZE);
      c.listRequests++;
      p.blobs().forEach(b -> listed.putIfAbsent(b.name(), b));
      token = p.nextToken();
    } while (token != null && c.listRequests < 1_000_000);
    c.listed = listed.size();
    // Names no longer listed were deleted by their device: nothing to remember of them.
    state.processed.retainAll(listed.keySet());
    List<String> fresh = listed.keySet().stream().filter(n -> !state.processed.contains(n)).toList();
    List<Segment> segments = new ArrayList<>();
    List<String> names = new ArrayList<>();
    long done = 0;
    for (String name : fresh) {
      progress.progress("relay download", done++, fresh.size());
      Segment s = fetch(r, store, keys, name, listed.get(name).size(), c);
      if (s != null) {
        segments.add(s);
        names.add(name);
      }
    }
    progress.progress("relay download", done, fresh.size());
    // Names are keyed hashes, so listings come in random order: apply each author's segments in
    // counter order, so its bundles arrive in seq order instead of piling up as pending.
    Integer[] order = new Integer[segments.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, java.util.Comparator
        .comparing((Integer i) -> segments.get(i).device().key().hex())
        .thenComparingLong(i -> segments.get(i).counter()));
    List<Segment> sortedSegments = new ArrayList<>();
    List<String> sortedNames = new ArrayList<>();
    for (int i : order) {
      sortedSegments.add(segments.get(i));
      sortedNames.add(names.get(i));
    }
    segments.clear();
    segments.addAll(sortedSegments);
    names.clear();
    names.addAll(sortedNames);
    java.util.Set<Integer> again = apply(r, segments, c);
    for (int i = 0; i < names.size(); i++) {
      if (!again.contains(i)) {
        state.processed.add(names.get(i));
      }
    }
  }

  /** Fetches, opens and checks one blob; null (and a rejection recorded) if it is not a segment of ours. */
  private static @Nullable Segment fetch(Replica r, BlobStore store, RelayKeys keys, String name, long listedSize, Counter c)
      throws BlobStoreException {
    if (!Segment.isSealedSize(listedSize)) {
      c.reject(name, "size " + listedSize + " is not a padded segment size");
      return null;
    }
    Optional<byte[]> got;
    try {
      got = store.get(name);
    } catch (BlobStoreException e) {
      if (e.reason() == BlobStoreException.Reason.CORRUPT) {
        c.reject(name, "unreadable: " + e.getMessage());
        return null;
      }
      throw e;
    }
    if (got.isEmpty()) {
      c.reject(name, "listed but missing");
      return null;
    }
    byte[] blob = got.get();
    c.downloaded++;
    c.downloadedBytes += blob.length;
    if (!Segment.isSealedSize(blob.length)) {
      c.reject(name, "size " + blob.length + " is not a padded segment size (truncated or padded)");
      return null;
    }
    Segment s;
    try {
      s = Segment.decode(keys.open(name, blob));
    } catch (GeneralSecurityException e) {
      c.reject(name, "does not open: altered, or sealed for another name or vault");
      return null;
    } catch (RelayFormatException e) {
      c.reject(name, "malformed: " + e.getMessage());
      return null;
    }
    if (!s.vault().equals(r.vault())) {
      c.reject(name, "belongs to another vault");
      return null;
    }
    if (!keys.name(s.device(), s.counter()).equals(name)) {
      c.reject(name, "its name is not the one its device and counter give");
      return null;
    }
    return s;
  }

  /** Refusals that may pass later (the key arrives, the pending log drains): the segment is read again. */
  private static final java.util.Set<Replica.Rejection> TRANSIENT =
      java.util.EnumSet.of(Replica.Rejection.NO_KEY, Replica.Rejection.TOO_MANY_PENDING);

  /**
   * Feeds the replica operations, then prekeys, envelopes and bundles of all segments; returns the
   * indexes of segments with a bundle refused for now (see {@link #TRANSIENT}), to read again.
   */
  private static java.util.Set<Integer> apply(Replica r, List<Segment> segments, Counter c) throws StoreException {
    for (Segment s : segments) {
      for (Entry e : s.entries()) {
        if (e.kind() == Kind.OP) {
          r.receiveOperation(e.bytes().toByteArray());
          c.opsIn++;
        }
      }
    }
    for (Segment s : segments) {
      for (Entry e : s.entries()) {
        if (e.kind() == Kind.PREKEY) {
          try {
            SignedPrekey p = SignedPrekey.decode(e.bytes().toByteArray());
            if (p.owner().equals(s.device())) {
              r.learnPrekey(p);
            }
          } catch (CryptoException ex) {
            c.refuse("MALFORMED_PREKEY");
          }
        }
      }
    }
    for (Segment s : segments) {
      for (Entry e : s.entries()) {
        if (e.kind() == Kind.ENVELOPE) {
          c.envelopesIn++;
          Replica.Outcome o = r.receiveEnvelope(e.bytes().toByteArray());
          o.rejected().ifPresent(why -> c.refuse(why.name()));
        }
      }
    }
    List<byte[]> pending = new ArrayList<>();
    List<Integer> from = new ArrayList<>();
    java.util.Set<Integer> again = new java.util.HashSet<>();
    for (int i = 0; i < segments.size(); i++) {
      for (Entry e : segments.get(i).entries()) {
        if (e.kind() == Kind.BUNDLE) {
          c.bundlesIn++;
          pending.add(e.bytes().toByteArray());
          from.add(i);
          if (pending.size() >= CHUNK) {
            applyBundles(r, pending, from, again, c);
          }
        }
      }
    }
    applyBundles(r, pending, from, again, c);
    return again;
  }

  private static void applyBundles(Replica r, List<byte[]> pending, List<Integer> from, java.util.Set<Integer> again, Counter c)
      throws StoreException {
    if (pending.isEmpty()) {
      return;
    }
    List<Replica.Outcome> outcomes = r.receiveAll(List.copyOf(pending));
    for (int i = 0; i < outcomes.size(); i++) {
      Replica.Outcome o = outcomes.get(i);
      if (o.rejected().isPresent()) {
        c.refuse(o.rejected().get().name());
        if (TRANSIENT.contains(o.rejected().get())) {
          again.add(from.get(i));
        }
      } else {
        c.applied += o.applied();
      }
    }
    pending.clear();
    from.clear();
  }

  // ---- upload

  /** Own segments allowed beyond twice the number its bytes would fill, before they are rewritten. */
  static final int SCATTER_SLACK = 64;

  /**
   * Whether this device's segments at the relay are many more than what they hold needs: rounds
   * after single writes leave small segments behind, and every round lists them all. Past twice
   * the full segments their bytes would fill, plus {@value #SCATTER_SLACK}, they are rewritten as
   * after a compaction, which bounds what a round lists.
   */
  static boolean scattered(RelayState state) {
    long full = (state.bytesSinceBase + Segment.TARGET_BYTES - 1) / Segment.TARGET_BYTES;
    return state.counter - state.base > 2 * full + SCATTER_SLACK;
  }

  /**
   * After the replica compacted (dropped bundles a snapshot covers, erased old keys), or when its
   * segments are scattered ({@link #scattered}): uploads
   * everything this device keeps afresh (operations, its prekey, the envelopes it keeps, its own
   * bundles), then deletes every older segment it wrote, so the relay keeps no bundle or envelope
   * of an erased epoch from this device. Killed in between, the next round does it again.
   */
  private static void rebase(
      Replica r, BlobStore store, RelayKeys keys, RelayState state, Counter c, ProgressListener progress, long compactions)
      throws BlobStoreException, NodeException, StoreException {
    long from = state.counter;
    state.sent.clear();
    state.sentSeq.clear();
    state.bytesSinceBase = 0;
    upload(r, store, keys, state, c, progress);
    IdentityKey me = r.device();
    for (long k = state.base; k < from; k++) {
      String name = keys.name(me, k);
      store.delete(name);
      state.processed.remove(name);
      c.deleted++;
      progress.progress("relay delete", k - state.base + 1, from - state.base);
    }
    state.base = from;
    state.compactions = compactions;
    state.save(keys);
  }

  /** An entry to upload and what to remember once it is at the relay. */
  private record Outgoing(Entry entry, @Nullable String hash, @Nullable ClassTag tag, long seq) {}

  private static void upload(Replica r, BlobStore store, RelayKeys keys, RelayState state, Counter c, ProgressListener progress)
      throws BlobStoreException, NodeException, StoreException {
    IdentityKey me = r.device();
    List<Outgoing> out = new ArrayList<>();
    for (byte[] op : r.operationsFor(List.of())) {
      once(out, state, Kind.OP, op);
    }
    once(out, state, Kind.PREKEY, r.prekey().encode());
    for (Replica.Device d : r.devices()) {
      if (!d.key().equals(me) && !d.revoked()) {
        for (byte[] env : r.envelopesFor(d.key())) {
          once(out, state, Kind.ENVELOPE, env);
        }
      }
    }
    for (ClassTag tag : new TreeMap<>(byHex(r.versionVectors().keySet())).values()) {
      long from = state.sentSeq.getOrDefault(tag.tag().hex(), 0L);
      for (Map.Entry<Long, byte[]> b : r.ownBundlesAfter(tag, from).entrySet()) {
        if (!Segment.fits(b.getValue().length)) {
          throw new NodeException("bundle " + b.getKey() + " of " + b.getValue().length + " bytes is too large for a relay segment");
        }
        out.add(new Outgoing(new Entry(Kind.BUNDLE, Bytes.copyOf(b.getValue())), null, tag, b.getKey()));
      }
    }
    int from = 0;
    while (from < out.size()) {
      int to = from;
      int bytes = 0;
      while (to < out.size() && to - from < Segment.MAX_ENTRIES
          && (to == from || bytes + out.get(to).entry().size() <= Segment.TARGET_BYTES)) {
        bytes += out.get(to).entry().size();
        to++;
      }
      List<Outgoing> batch = out.subList(from, to);
      put(store, keys, state, me, r.vault(), batch, c);
      for (Outgoing o : batch) {
        if (o.hash() != null) {
          state.sent.add(o.hash());
        }
        if (o.tag() != null) {
          state.sentSeq.merge(o.tag().tag().hex(), o.seq(), Math::max);
        }
        switch (o.entry().kind()) {
          case OP -> c.opsOut++;
          case ENVELOPE -> c.envelopesOut++;
          case BUNDLE -> c.bundlesOut++;
          case PREKEY -> { }
        }
      }
      state.save(keys);
      progress.progress("relay upload", to, out.size());
      from = to;
    }
  }

  private static Map<String, ClassTag> byHex(java.util.Collection<ClassTag> tags) {
    Map<String, ClassTag> m = new TreeMap<>();
    tags.forEach(t -> m.put(t.tag().hex(), t));
    return m;
  }

  private static void once(List<Outgoing> out, RelayState state, Kind kind, byte[] bytes) {
    String h = sha256(kind.name() + ":" + HexFormat.of().formatHex(bytes));
    if (!state.sent.contains(h)) {
      out.add(new Outgoing(new Entry(kind, Bytes.copyOf(bytes)), h, null, 0));
    }
  }

  /** Seals and puts one segment under this device's next free counter. */
  private static void put(BlobStore store, RelayKeys keys, RelayState state, IdentityKey me, Bytes vault, List<Outgoing> batch, Counter c)
      throws BlobStoreException, NodeException {
    for (int taken = 0; taken < MAX_TAKEN; taken++) {
      long counter = state.counter++;
      Segment s = new Segment(vault, me, counter, batch.stream().map(Outgoing::entry).toList());
      String name = keys.name(me, counter);
      byte[] blob = keys.seal(name, s.encode());
      if (store.putIfAbsent(name, blob)) {
        state.processed.add(name);
        state.bytesSinceBase += blob.length;
        c.uploaded++;
        c.uploadedBytes += blob.length;
        return;
      }
    }
    throw new NodeException("relay: " + MAX_TAKEN + " segment names of this device are taken; is its state shared with another copy?");
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static final class Counter {
    int listed;
    int listRequests;
    int downloaded;
    long downloadedBytes;
    int uploaded;
    long uploadedBytes;
    int opsIn;
    int envelopesIn;
    int bundlesIn;
    int applied;
    final SortedMap<String, Long> refused = new TreeMap<>();
    int opsOut;
    int envelopesOut;
    int bundlesOut;
    int deleted;
    final List<RelayReport.Rejected> rejected = new ArrayList<>();

    void reject(String name, String reason) {
      rejected.add(new RelayReport.Rejected(name, reason));
    }

    void refuse(String why) {
      refused.merge(why, 1L, Long::sum);
    }

    RelayReport report(String relay) {
      return new RelayReport(relay, listed, listRequests, downloaded, downloadedBytes, uploaded, uploadedBytes,
          opsIn, envelopesIn, bundlesIn, applied, refused, opsOut, envelopesOut, bundlesOut, deleted, rejected);
    }
  }
}
