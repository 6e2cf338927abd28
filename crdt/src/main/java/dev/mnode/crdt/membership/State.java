package dev.mnode.crdt.membership;

import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.IdentityKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The membership that a set of operations replays to: members, their classes, and each class's
 * epochs with the operations that started them. Built by one replay and then only read. Confined
 * to the log's lock.
 */
final class State {
  static final Comparator<ClassTag> TAG_ORDER = Comparator.comparing(ClassTag::tag);

  private final TreeMap<IdentityKey, Entry> members = new TreeMap<>();
  /** Class to epoch to the counting operations that started it. */
  private final Map<ClassTag, TreeMap<Integer, TreeSet<OperationId>>> rotations = new HashMap<>();

  /** A member while replaying. */
  private static final class Entry {
    String name;
    final TreeSet<ClassTag> classes = new TreeSet<>(TAG_ORDER);
    boolean revoked;
    /** Once revoked: by class, the highest seq the cuts of its applied revocations name. */
    final TreeMap<ClassTag, Long> cut = new TreeMap<>(TAG_ORDER);

    Entry(String name) {
      this.name = name;
    }
  }

  /**
   * Applies an operation that counts (see {@link MembershipLog}), in replay order, as far as this
   * state allows: it is skipped if its author is not a member here, or is revoked here and it is
   * not a revoke; an add or grant gives only the classes its author holds here or that it creates.
   * The epochs it starts are recorded unless it is skipped. A revoke applied here adds its cut to
   * the subject's, class by class keeping the highest seq; a skipped one widens nothing.
   */
  void apply(Node n) {
    Operation op = n.op();
    @Nullable Entry author = members.get(op.author());
    if (op.kind() != Operation.Kind.GENESIS && (author == null || author.revoked && op.kind() != Operation.Kind.REVOKE)) {
      return;
    }
    @Nullable Entry subject = members.get(op.subject());
    switch (op.kind()) {
      case GENESIS, ADD_DEVICE -> {
        if (subject == null) {
          subject = new Entry(op.name());
          members.put(op.subject(), subject);
        }
        if (!subject.revoked) {
          subject.name = op.name(); // a concurrent add of the same device: the later in the replay names it
          subject.classes.addAll(grantable(n, author));
        }
      }
      case GRANT -> {
        if (subject != null && !subject.revoked) {
          subject.classes.addAll(grantable(n, author));
        }
      }
      case UNGRANT -> {
        if (subject != null) {
          op.classes().forEach(subject.classes::remove);
        }
      }
      case REVOKE -> {
        if (subject != null) {
          subject.revoked = true;
          subject.classes.clear();
          TreeMap<ClassTag, Long> cut = subject.cut;
          op.cut().forEach((tag, seq) -> cut.merge(tag, seq, Math::max));
        }
      }
      case RENAME -> {
        if (subject != null && !subject.revoked) {
          subject.name = op.name();
        }
      }
      case ROTATE -> {
        // Members and classes stay as they are: only the epochs below change.
      }
    }
    n.starts().forEach((tag, epoch) ->
        rotations.computeIfAbsent(tag, t -> new TreeMap<>()).computeIfAbsent(epoch, e -> new TreeSet<>()).add(op.id()));
  }

  /** The classes of an add or grant its author may give now: held by it, or created by the operation. */
  private static List<ClassTag> grantable(Node n, @Nullable Entry author) {
    return n.op().classes().stream()
        .filter(c -> n.starts().containsKey(c) || author != null && author.classes.contains(c))
        .toList();
  }

  /**
   * Checks {@code op} against this state, the state of its causal past, and returns the epochs it
   * starts.
   *
   * @throws MembershipException naming the rule it breaks
   */
  Map<ClassTag, Integer> validate(Operation op) throws MembershipException {
    @Nullable Entry author = members.get(op.author());
    if (author == null) {
      throw new MembershipException(Rejection.NOT_A_MEMBER, "author " + op.author() + " of " + op + " is not a member in its causal past");
    }
    if (author.revoked) {
      throw new MembershipException(Rejection.AUTHOR_REVOKED, "author " + op.author() + " of " + op + " was revoked in its causal past");
    }
    @Nullable Entry subject = members.get(op.subject());
    Map<ClassTag, Integer> starts = new LinkedHashMap<>();
    switch (op.kind()) {
      case GENESIS -> throw new MembershipException(Rejection.SECOND_GENESIS, op + " is a second genesis");
      case ADD_DEVICE -> {
        if (subject != null) {
          throw new MembershipException(Rejection.BAD_SUBJECT, subject.revoked
              ? "device " + op.subject() + " was revoked; revocation is permanent"
              : "device " + op.subject() + " is a member already; grant it classes instead");
        }
        grantable(op, author, starts);
      }
      case GRANT -> {
        live(op, subject);
        grantable(op, author, starts);
      }
      case UNGRANT -> {
        Entry s = live(op, subject);
        for (ClassTag c : op.classes()) {
          if (!author.classes.contains(c)) {
            throw new MembershipException(Rejection.NOT_HOLDER, "author " + op.author() + " does not hold " + c + " it ungrants");
          }
          if (!s.classes.contains(c)) {
            throw new MembershipException(Rejection.BAD_SUBJECT, "device " + op.subject() + " does not hold " + c + " to ungrant");
          }
          starts.put(c, epoch(c) + 1);
        }
      }
      case REVOKE -> live(op, subject).classes.forEach(c -> starts.put(c, epoch(c) + 1));
      case RENAME -> live(op, subject);
      case ROTATE -> {
        for (ClassTag c : op.classes()) {
          if (!author.classes.contains(c)) {
            throw new MembershipException(Rejection.NOT_HOLDER, "author " + op.author() + " does not hold " + c + " it rotates");
          }
          starts.put(c, epoch(c) + 1);
        }
      }
    }
    return starts;
  }

  private void grantable(Operation op, Entry author, Map<ClassTag, Integer> starts) throws MembershipException {
    for (ClassTag c : op.classes()) {
      if (epoch(c) == 0) {
        starts.put(c, 1);
      } else if (!author.classes.contains(c)) {
        throw new MembershipException(Rejection.NOT_HOLDER, "author " + op.author() + " does not hold " + c + " it grants");
      }
    }
  }

  private static Entry live(Operation op, @Nullable Entry subject) throws MembershipException {
    if (subject == null) {
      throw new MembershipException(Rejection.BAD_SUBJECT, "device " + op.subject() + " of " + op.kind() + " is not a member in its causal past");
    }
    if (subject.revoked) {
      throw new MembershipException(Rejection.BAD_SUBJECT, "device " + op.subject() + " of " + op.kind() + " was revoked in its causal past");
    }
    return subject;
  }

  /** Returns the highest epoch of {@code tag}, 0 if the class is unknown. */
  int epoch(ClassTag tag) {
    TreeMap<Integer, TreeSet<OperationId>> r = rotations.get(tag);
    return r == null ? 0 : r.lastKey();
  }

  /** Returns the epochs of {@code tag} and the operations that started each; null if unknown. */
  @Nullable TreeMap<Integer, TreeSet<OperationId>> rotations(ClassTag tag) {
    return rotations.get(tag);
  }

  /** Returns the devices not revoked that hold {@code tag}. */
  SortedSet<IdentityKey> holdersOf(ClassTag tag) {
    TreeSet<IdentityKey> out = new TreeSet<>();
    members.forEach((d, e) -> {
      if (!e.revoked && e.classes.contains(tag)) {
        out.add(d);
      }
    });
    return out;
  }

  /**
   * Returns the cut of a revoked device: by class, the highest seq named by the cuts of the
   * revocations applied to it, ascending by tag (unmodifiable); null if it is not revoked here.
   */
  @Nullable SortedMap<ClassTag, Long> revocationCut(IdentityKey device) {
    @Nullable Entry e = members.get(device);
    return e == null || !e.revoked ? null : Collections.unmodifiableSortedMap(new TreeMap<>(e.cut));
  }

  boolean isRevoked(IdentityKey device) {
    @Nullable Entry e = members.get(device);
    return e != null && e.revoked;
  }

  @Nullable Member member(IdentityKey device) {
    @Nullable Entry e = members.get(device);
    return e == null ? null : new Member(device, e.name, List.copyOf(e.classes), e.revoked);
  }

  List<Member> members() {
    List<Member> out = new ArrayList<>();
    members.forEach((d, e) -> out.add(new Member(d, e.name, List.copyOf(e.classes), e.revoked)));
    return List.copyOf(out);
  }
}
