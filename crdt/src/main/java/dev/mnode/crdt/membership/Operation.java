package dev.mnode.crdt.membership;

import dev.mnode.crdt.MalformedException;
import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.IdentityKey;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One signed operation of the membership log. Its canonical encoding (version 2, integers
 * big-endian):
 *
 * <pre>
 * version u8 = 2 | vault id (16) | kind u8 | author (32) |
 * parent count u16 (0..256) | parents, 32 bytes each, strictly ascending |
 * subject (32) | name length u8 (0..64) | name, UTF-8 |
 * class count u16 (0..256) | class tags, 16 bytes each, strictly ascending |
 * cut count u16 (0..256) | cut entries, strictly ascending by tag:
 *     +------------------+----------------------------+
 *     | class tag (16)   | seq u64 (0..2^63-1)        |
 *     +------------------+----------------------------+
 * signature (64)
 *
 * signature = Ed25519 by the author over "mnode/membership-op/v2" | 0x00 | every byte before it
 * id        = SHA-256 of every byte before the signature
 * </pre>
 *
 * Field rules by kind (anything else is malformed):
 *
 * <pre>
 * kind            parents  subject          name      classes   cut
 * 1 GENESIS       none     = author         1..64 B   any       none
 * 2 ADD_DEVICE    1..256   the new device   1..64 B   any       none
 * 3 GRANT         1..256   the grantee      none      1..256    none
 * 4 UNGRANT       1..256   != author        none      1..256    none
 * 5 REVOKE        1..256   != author        none      none      0..256
 * 6 RENAME        1..256   the device       1..64 B   none      none
 * 7 ROTATE        1..256   = author         none      1..256    none
 * </pre>
 *
 * The cut of a revoke is, for each class named, the highest contiguous seq of the revoked device's
 * bundles in that class that the revoking device had accepted (0 for none; a class not named counts
 * as 0). It bounds which of the revoked device's bundles stay acceptable ({@link
 * MembershipLog#mayWrite(IdentityKey, ClassTag, int, long)}).
 *
 * <p>A name has no control character, is not blank, and is well-formed UTF-8. Because every list is
 * strictly ascending and every length is fixed by the kind, one operation has exactly one
 * encoding. Version 1 (the same without the cut) is refused: no version-1 operation was ever
 * persisted or sent, so nothing needs reading it. The signature is left out of the id so that the id does not depend on which of
 * several valid signatures a copy carries. Immutable and thread-safe.
 */
public final class Operation {
  /** Version of the encoding written by {@link #encode()}; the only one {@link #decode} reads. */
  public static final int VERSION = 2;
  public static final int VAULT_BYTES = 16;
  public static final int MAX_PARENTS = 256;
  public static final int MAX_CLASSES = 256;
  public static final int MAX_NAME_BYTES = 64;
  /** Most classes a revoke's cut names. */
  public static final int MAX_CUT = 256;
  /** Bytes of one cut entry: class tag and seq. */
  public static final int CUT_ENTRY_BYTES = ClassTag.BYTES + Long.BYTES;

  /** Bytes every operation has whatever its lists: version to subject, the three counts, signature. */
  private static final int MIN_BYTES =
      1 + VAULT_BYTES + 1 + IdentityKey.BYTES + 2 + IdentityKey.BYTES + 1 + 2 + 2 + IdentityKey.SIGNATURE_BYTES;
  /**
   * Length of the longest encoding: a revoke naming {@value #MAX_PARENTS} parents and a cut of
   * {@value #MAX_CUT} classes, longer than the largest add (names, {@value #MAX_CLASSES} classes).
   */
  public static final int MAX_BYTES =
      MIN_BYTES + MAX_PARENTS * OperationId.BYTES
          + (MAX_CUT * CUT_ENTRY_BYTES > MAX_NAME_BYTES + MAX_CLASSES * ClassTag.BYTES
              ? MAX_CUT * CUT_ENTRY_BYTES
              : MAX_NAME_BYTES + MAX_CLASSES * ClassTag.BYTES);

  private static final byte[] DOMAIN = "mnode/membership-op/v2\0".getBytes(StandardCharsets.US_ASCII);
  private static final Comparator<ClassTag> TAG_ORDER = Comparator.comparing(ClassTag::tag);

  /** What an operation does. */
  public enum Kind {
    /** The vault's first device makes itself a member with its classes. */
    GENESIS(1),
    /** A member adds a new device with a name and classes. */
    ADD_DEVICE(2),
    /** A member grants classes it holds to a member. */
    GRANT(3),
    /** A member takes classes from another member; each starts a new epoch. */
    UNGRANT(4),
    /** A member revokes another, permanently; every class the revoked device held starts a new epoch. */
    REVOKE(5),
    /** A member renames a device. */
    RENAME(6),
    /**
     * A member starts a new epoch of classes it holds, keeping their holders: compaction re-seals a
     * class's live state under the new epoch so that every older epoch key can be erased.
     */
    ROTATE(7);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    /** Returns the kind's byte in the encoding. */
    public int code() {
      return code;
    }

    static Kind ofCode(int code) {
      for (Kind k : values()) {
        if (k.code == code) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown operation kind " + code);
    }

    boolean hasName() {
      return this == GENESIS || this == ADD_DEVICE || this == RENAME;
    }

    boolean needsClasses() {
      return this == GRANT || this == UNGRANT || this == ROTATE;
    }

    boolean mayHaveClasses() {
      return this == GENESIS || this == ADD_DEVICE || needsClasses();
    }
  }

  private final Bytes vault;
  private final Kind kind;
  private final IdentityKey author;
  private final List<OperationId> parents;
  private final IdentityKey subject;
  private final String name;
  private final List<ClassTag> classes;
  /** Ascending by tag, unmodifiable. */
  private final SortedMap<ClassTag, Long> cut;
  private final Bytes signature;
  private final byte[] signed;
  private final OperationId id;

  private Operation(
      Bytes vault, Kind kind, IdentityKey author, List<OperationId> parents, IdentityKey subject,
      String name, List<ClassTag> classes, SortedMap<ClassTag, Long> cut, Bytes signature) {
    this.vault = vault;
    this.kind = kind;
    this.author = author;
    this.parents = parents;
    this.subject = subject;
    this.name = name;
    this.classes = classes;
    this.cut = cut;
    this.signature = signature;
    this.signed = signedBytes();
    this.id = new OperationId(Bytes.copyOf(sha256(signed)));
  }

  /**
   * Writes and signs an operation. The log's authoring methods call this with the heads they
   * know; tests use it to forge operations.
   *
   * @throws IllegalArgumentException if a field breaks the rules in the class comment
   */
  static Operation sign(
      DeviceIdentity author, Bytes vault, Kind kind, Collection<OperationId> parents, IdentityKey subject,
      String name, Collection<ClassTag> classes) {
    return sign(author, vault, kind, parents, subject, name, classes, Map.of());
  }

  /**
   * As {@link #sign(DeviceIdentity, Bytes, Kind, Collection, IdentityKey, String, Collection)}, with
   * the cut of a revoke (empty for every other kind).
   *
   * @throws IllegalArgumentException if a field breaks the rules in the class comment, including a
   *     cut on another kind than REVOKE, a negative seq or more than {@value #MAX_CUT} classes
   */
  static Operation sign(
      DeviceIdentity author, Bytes vault, Kind kind, Collection<OperationId> parents, IdentityKey subject,
      String name, Collection<ClassTag> classes, Map<ClassTag, Long> cut) {
    TreeSet<OperationId> ps = new TreeSet<>(parents);
    TreeSet<ClassTag> cs = new TreeSet<>(TAG_ORDER);
    cs.addAll(classes);
    TreeMap<ClassTag, Long> sortedCut = new TreeMap<>(TAG_ORDER);
    cut.forEach((tag, seq) -> sortedCut.put(Objects.requireNonNull(tag, "cut tag"), Objects.requireNonNull(seq, "cut seq")));
    check(vault, kind, author.publicKey(), ps.size(), subject, name, cs.size(), sortedCut);
    SortedMap<ClassTag, Long> fixedCut = Collections.unmodifiableSortedMap(sortedCut);
    Operation unsigned =
        new Operation(vault, kind, author.publicKey(), List.copyOf(ps), subject, name, List.copyOf(cs), fixedCut,
            Bytes.copyOf(new byte[IdentityKey.SIGNATURE_BYTES]));
    byte[] sig = author.sign(concat(DOMAIN, unsigned.signed));
    return new Operation(
        vault, kind, author.publicKey(), unsigned.parents, subject, name, unsigned.classes, fixedCut, Bytes.copyOf(sig));
  }

  /**
   * Returns the genesis of a new vault: {@code author} becomes its first member, named {@code
   * name}, holding {@code classes}, each at epoch 1.
   *
   * @throws IllegalArgumentException if the vault id is not {@value #VAULT_BYTES} bytes, the name
   *     breaks the rules above or there are more than {@value #MAX_CLASSES} classes
   */
  public static Operation genesis(DeviceIdentity author, Bytes vault, String name, Collection<ClassTag> classes) {
    return sign(author, vault, Kind.GENESIS, List.of(), author.publicKey(), name, classes);
  }

  private static void check(
      Bytes vault, Kind kind, IdentityKey author, int parents, IdentityKey subject, String name, int classes,
      SortedMap<ClassTag, Long> cut) {
    Objects.requireNonNull(name, "name");
    require(vault.length() == VAULT_BYTES, "a vault id has " + VAULT_BYTES + " bytes, not " + vault.length());
    require(parents <= MAX_PARENTS, "an operation names at most " + MAX_PARENTS + " parents, not " + parents);
    require((kind == Kind.GENESIS) == (parents == 0), kind == Kind.GENESIS ? "a genesis has no parents" : kind + " names at least one parent");
    require(kind != Kind.GENESIS || subject.equals(author), "the subject of a genesis is its author");
    require(kind != Kind.ROTATE || subject.equals(author), "the subject of a rotate is its author");
    require(kind != Kind.UNGRANT && kind != Kind.REVOKE || !subject.equals(author), kind + " of the author itself");
    if (kind.hasName()) {
      byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
      require(!name.isBlank() && utf8.length <= MAX_NAME_BYTES, "a device name has 1 to " + MAX_NAME_BYTES + " UTF-8 bytes and is not blank");
      require(name.chars().noneMatch(Character::isISOControl), "a device name has no control characters");
      require(wellFormed(name), "a device name has an unpaired surrogate");
    } else {
      require(name.isEmpty(), kind + " carries no name");
    }
    require(classes <= MAX_CLASSES, "an operation names at most " + MAX_CLASSES + " classes, not " + classes);
    require(!kind.needsClasses() || classes > 0, kind + " names at least one class");
    require(kind.mayHaveClasses() || classes == 0, kind + " names no class");
    require(kind == Kind.REVOKE || cut.isEmpty(), kind + " carries no cut");
    require(cut.size() <= MAX_CUT, "a cut names at most " + MAX_CUT + " classes, not " + cut.size());
    cut.forEach((tag, seq) -> require(seq >= 0, "the cut seq of " + tag + " is negative: " + seq));
  }

  /**
   * Parses an encoded operation. It does not verify the signature ({@link #verifySignature()}) or
   * anything the log decides.
   *
   * @throws MalformedException (MEMBERSHIP_OPERATION) if the bytes are out of bounds, of another
   *     version than {@value #VERSION} or an unknown kind, cut short, have bytes left over, lists out
   *     of order or repeated, or break a field rule
   */
  public static Operation decode(byte[] bytes) throws MalformedException {
    MalformedException.Kind k = MalformedException.Kind.MEMBERSHIP_OPERATION;
    if (bytes.length < MIN_BYTES || bytes.length > MAX_BYTES) {
      throw new MalformedException(k, "membership operation of " + bytes.length + " bytes is out of bounds " + MIN_BYTES + ".." + MAX_BYTES);
    }
    if ((bytes[0] & 0xff) != VERSION) {
      throw new MalformedException(k, "membership operation version " + (bytes[0] & 0xff) + " is unknown; this version reads " + VERSION);
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      in.get();
      Bytes vault = Bytes.copyOf(take(in, VAULT_BYTES));
      Kind kind = Kind.ofCode(in.get() & 0xff);
      IdentityKey author = IdentityKey.of(take(in, IdentityKey.BYTES));
      int parentCount = in.getShort() & 0xffff;
      require(parentCount <= MAX_PARENTS, "operation claims " + parentCount + " parents; at most " + MAX_PARENTS);
      require(in.remaining() >= parentCount * OperationId.BYTES, "operation cut short in its parents");
      List<OperationId> parents = new ArrayList<>(parentCount);
      for (int i = 0; i < parentCount; i++) {
        OperationId p = new OperationId(Bytes.copyOf(take(in, OperationId.BYTES)));
        require(i == 0 || parents.get(i - 1).compareTo(p) < 0, "operation parents out of order or repeated at " + i);
        parents.add(p);
      }
      IdentityKey subject = IdentityKey.of(take(in, IdentityKey.BYTES));
      String name = utf8(take(in, in.get() & 0xff));
      int classCount = in.getShort() & 0xffff;
      require(classCount <= MAX_CLASSES, "operation claims " + classCount + " classes; at most " + MAX_CLASSES);
      require(in.remaining() >= classCount * ClassTag.BYTES, "operation cut short in its classes");
      List<ClassTag> classes = new ArrayList<>(classCount);
      for (int i = 0; i < classCount; i++) {
        ClassTag t = new ClassTag(Bytes.copyOf(take(in, ClassTag.BYTES)));
        require(i == 0 || TAG_ORDER.compare(classes.get(i - 1), t) < 0, "operation classes out of order or repeated at " + i);
        classes.add(t);
      }
      int cutCount = in.getShort() & 0xffff;
      require(cutCount <= MAX_CUT, "operation claims a cut of " + cutCount + " classes; at most " + MAX_CUT);
      require(in.remaining() >= cutCount * CUT_ENTRY_BYTES, "operation cut short in its cut");
      TreeMap<ClassTag, Long> cut = new TreeMap<>(TAG_ORDER);
      for (int i = 0; i < cutCount; i++) {
        ClassTag t = new ClassTag(Bytes.copyOf(take(in, ClassTag.BYTES)));
        require(i == 0 || TAG_ORDER.compare(cut.lastKey(), t) < 0, "operation cut out of order or repeated at " + i);
        cut.put(t, in.getLong()); // a negative seq (high bit set) fails check below
      }
      require(in.remaining() == IdentityKey.SIGNATURE_BYTES,
          "operation has " + in.remaining() + " bytes after its cut; a signature has " + IdentityKey.SIGNATURE_BYTES);
      Bytes signature = Bytes.copyOf(take(in, IdentityKey.SIGNATURE_BYTES));
      check(vault, kind, author, parentCount, subject, name, classCount, cut);
      return new Operation(
          vault, kind, author, List.copyOf(parents), subject, name, List.copyOf(classes),
          Collections.unmodifiableSortedMap(cut), signature);
    } catch (IllegalArgumentException e) {
      throw new MalformedException(k, "malformed membership operation: " + e.getMessage(), e);
    } catch (BufferUnderflowException e) {
      throw new MalformedException(k, "membership operation is cut short", e);
    }
  }

  /** Returns whether the signature is the author's over this operation. */
  public boolean verifySignature() {
    return author.verify(concat(DOMAIN, signed), signature.toByteArray());
  }

  /** Returns the canonical encoding drawn in the class comment. */
  public byte[] encode() {
    return concat(signed, signature.toByteArray());
  }

  public OperationId id() {
    return id;
  }

  public Bytes vault() {
    return vault;
  }

  public Kind kind() {
    return kind;
  }

  public IdentityKey author() {
    return author;
  }

  /** Returns the heads the author had seen, ascending; empty only for a genesis. */
  public List<OperationId> parents() {
    return parents;
  }

  /** Returns the device the operation is about (the author itself for a genesis). */
  public IdentityKey subject() {
    return subject;
  }

  /** Returns the device name given; empty for kinds without one. */
  public String name() {
    return name;
  }

  /** Returns the classes named, in ascending tag order. */
  public List<ClassTag> classes() {
    return classes;
  }

  /**
   * Returns the cut of a revoke: by class, in ascending tag order, the highest contiguous seq of the
   * revoked device's bundles its author had accepted; a class not named counts as 0. Empty for
   * every other kind. Unmodifiable.
   */
  public SortedMap<ClassTag, Long> cut() {
    return cut;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Operation op && id.equals(op.id) && signature.equals(op.signature);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "Operation[" + kind + " " + id + " by " + author + " on " + subject + "]";
  }

  private byte[] signedBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(VERSION);
    out.writeBytes(vault.toByteArray());
    out.write(kind.code);
    out.writeBytes(author.key().toByteArray());
    out.write(parents.size() >> 8);
    out.write(parents.size());
    parents.forEach(p -> out.writeBytes(p.bytes().toByteArray()));
    out.writeBytes(subject.key().toByteArray());
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    out.write(n.length);
    out.writeBytes(n);
    out.write(classes.size() >> 8);
    out.write(classes.size());
    classes.forEach(c -> out.writeBytes(c.tag().toByteArray()));
    out.write(cut.size() >> 8);
    out.write(cut.size());
    ByteBuffer seq = ByteBuffer.allocate(Long.BYTES);
    cut.forEach((tag, s) -> {
      out.writeBytes(tag.tag().toByteArray());
      out.writeBytes(seq.clear().putLong(s).array());
    });
    return out.toByteArray();
  }

  private static String utf8(byte[] b) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("a device name is not UTF-8");
    }
  }

  private static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  private static byte[] take(ByteBuffer in, int n) {
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
