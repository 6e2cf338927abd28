package dev.mnode.crdt.membership;

import static dev.mnode.crdt.membership.Vault.HEALTH;
import static dev.mnode.crdt.membership.Vault.PERSONAL;
import static dev.mnode.crdt.membership.Vault.WORK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.IdentityKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Devices write membership operations concurrently, with partial syncs in between; every replica
 * that finally receives every operation, in any order and with duplicates, reads the same
 * membership, epochs, rotations, holders, revocation cuts and answers of mayWrite.
 */
class MembershipConvergenceTest {
  private static final List<ClassTag> CLASSES = List.of(WORK, HEALTH, PERSONAL);
  private static final int DEVICES = 8;
  /** The seqs fingerprint asks mayWrite about, for every device, class and epoch. */
  private static final long[] SEQS = {1, 2, 4, 7, 11, 12, 13, Long.MAX_VALUE};
  /** The highest seq a random cut names. */
  private static final int MAX_RANDOM_CUT = 12;
  /** Never a member: mayWrite must refuse it everywhere. */
  private static final IdentityKey OUTSIDER = Vault.device("outsider").publicKey();

  @Test
  void randomConcurrentOperations_deliveredInRandomOrdersWithDuplicates_converge() throws Exception {
    int interesting = 0;
    int keptByACut = 0;
    for (long seed = 1; seed <= 16; seed++) {
      Run r = run(seed, 120);
      interesting += r.revokedWithConcurrentRotations() ? 1 : 0;
      keptByACut += r.keptByACut() > 0 ? 1 : 0;
    }
    assertTrue(interesting >= 4, "too few runs had a revocation and concurrent rotations: " + interesting);
    assertTrue(keptByACut >= 8, "too few runs had a revoked device with bundles its cut keeps: " + keptByACut);
  }

  /**
   * What one run saw.
   *
   * @param revokedWithConcurrentRotations whether it revoked a device and had concurrent rotations
   * @param keptByACut how many (revoked author, class, epoch, seq) questions mayWrite answered yes
   */
  private record Run(boolean revokedWithConcurrentRotations, int keptByACut) {}

  /**
   * Signed operations with random authors, subjects, classes and parents, most of them invalid:
   * two devices that receive them in different orders store the same ones and read the same state.
   */
  @Test
  void randomSignedOperations_validOrNot_giveTheSameStateInAnyOrder() throws Exception {
    for (long seed = 1; seed <= 6; seed++) {
      Random rnd = new Random(seed);
      List<DeviceIdentity> pool = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        pool.add(Vault.device("r" + i));
      }
      Operation genesis = Vault.genesis(pool.get(0), WORK);
      MembershipLog reference = Vault.log(genesis);
      List<OperationId> storedIds = new ArrayList<>(List.of(genesis.id()));
      List<OperationId> anyIds = new ArrayList<>(List.of(genesis.id()));
      List<Operation> ops = new ArrayList<>();
      Operation.Kind[] kinds = {Operation.Kind.ADD_DEVICE, Operation.Kind.GRANT, Operation.Kind.UNGRANT, Operation.Kind.REVOKE, Operation.Kind.RENAME, Operation.Kind.ROTATE};
      while (ops.size() < 150) {
        Operation.Kind kind = kinds[rnd.nextInt(kinds.length)];
        // Mostly members as authors and subjects (as the reference log sees them), so that chains form.
        List<DeviceIdentity> members = pool.stream()
            .filter(d -> reference.member(d.publicKey()).filter(m -> !m.revoked()).isPresent()).toList();
        DeviceIdentity author = rnd.nextInt(10) < 8 && !members.isEmpty() ? members.get(rnd.nextInt(members.size())) : pool.get(rnd.nextInt(pool.size()));
        DeviceIdentity subject = kind == Operation.Kind.ROTATE ? author : pool.get(rnd.nextInt(pool.size()));
        List<OperationId> from = rnd.nextInt(10) < 8 ? storedIds : anyIds;
        List<OperationId> parents = rnd.nextBoolean()
            ? reference.heads()
            : List.of(from.get(rnd.nextInt(from.size())), from.get(rnd.nextInt(from.size())));
        String name = kind == Operation.Kind.ADD_DEVICE || kind == Operation.Kind.RENAME ? "n" + ops.size() : "";
        List<ClassTag> classes = kind == Operation.Kind.REVOKE || kind == Operation.Kind.RENAME ? List.of() : randomClasses(rnd);
        Map<ClassTag, Long> cut = kind == Operation.Kind.REVOKE ? randomCut(rnd) : Map.of();
        Operation op;
        try {
          op = Operation.sign(author, Vault.ID, kind, parents, subject.publicKey(), name, classes, cut);
        } catch (IllegalArgumentException selfTargeted) {
          continue;
        }
        ops.add(op);
        anyIds.add(op.id());
        if (reference.receive(op).status() == ReceiveResult.Status.STORED) {
          storedIds.add(op.id());
        }
      }
      assertTrue(storedIds.size() >= 10 && storedIds.size() < 140, "seed " + seed + ": a mix of valid and invalid, " + storedIds.size());
      MembershipLog one = Vault.log(genesis);
      MembershipLog two = Vault.log(genesis);
      for (MembershipLog l : List.of(one, two)) {
        List<Operation> shuffled = new ArrayList<>(ops);
        shuffled.addAll(ops.subList(0, 30));
        Collections.shuffle(shuffled, rnd);
        shuffled.forEach(op -> l.receive(op.encode()));
        assertEquals(storedIds.size(), l.size(), "seed " + seed);
        assertEquals(0, l.heldCount(), "seed " + seed);
        assertEquals(fingerprint(reference), fingerprint(l), "seed " + seed);
      }
    }
  }

  private static Run run(long seed, int steps) throws Exception {
    Random rnd = new Random(seed);
    List<DeviceIdentity> pool = new ArrayList<>();
    for (int i = 0; i < DEVICES; i++) {
      pool.add(Vault.device("d" + i));
    }
    Operation genesis = Vault.genesis(pool.get(0), WORK, PERSONAL);
    Map<DeviceIdentity, MembershipLog> replicas = new LinkedHashMap<>();
    replicas.put(pool.get(0), Vault.log(genesis));
    Set<Operation> all = new LinkedHashSet<>(List.of(genesis));
    for (int step = 0; step < steps; step++) {
      List<DeviceIdentity> writers = new ArrayList<>(replicas.keySet());
      DeviceIdentity me = writers.get(rnd.nextInt(writers.size()));
      MembershipLog log = replicas.get(me);
      int action = rnd.nextInt(12);
      if (action < 4) {
        MembershipLog to = replicas.get(writers.get(rnd.nextInt(writers.size())));
        deliver(rnd, log.missingFor(to.heads()), to, 0.7, seed);
        continue;
      }
      List<Member> members = log.members().stream().filter(m -> !m.revoked()).toList();
      if (members.isEmpty()) {
        continue; // this device sees every member revoked (mutual revocations)
      }
      Member target = members.get(rnd.nextInt(members.size()));
      List<ClassTag> some = randomClasses(rnd);
      try {
        Operation op =
            switch (action) {
              case 4, 5 -> {
                DeviceIdentity added = pool.get(rnd.nextInt(DEVICES));
                Operation a = log.addDevice(me, added.publicKey(), "device " + step, some);
                MembershipLog copy = replicas.computeIfAbsent(added, d -> newLog(genesis));
                deliver(rnd, log.missingFor(copy.heads()), copy, 1.0, seed);
                yield a;
              }
              case 6, 7 -> log.grant(me, target.device(), some);
              case 8, 9 -> log.ungrant(me, target.device(), some);
              case 10 -> log.revoke(me, target.device(), randomCut(rnd));
              default -> log.rename(me, target.device(), "renamed " + step);
            };
        all.add(op);
      } catch (MembershipException | IllegalArgumentException e) {
        // Not valid in this device's view (it lacks a class, the target lacks it, it targets
        // itself...): a device does not write it, and the run goes on.
      }
    }
    // Every replica and three fresh devices receive everything, shuffled, with duplicates.
    List<MembershipLog> finals = new ArrayList<>(replicas.values());
    for (int i = 0; i < 3; i++) {
      finals.add(newLog(genesis));
    }
    for (MembershipLog l : finals) {
      deliver(rnd, new ArrayList<>(all), l, 1.0, seed);
    }
    String expected = fingerprint(finals.get(0));
    for (MembershipLog l : finals) {
      assertEquals(all.size(), l.size(), "seed " + seed);
      assertEquals(0, l.heldCount(), "seed " + seed);
      for (Rejection r : Rejection.values()) {
        assertEquals(0, l.rejectedCount(r), "seed " + seed + ": " + r);
      }
      assertEquals(expected, fingerprint(l), "seed " + seed);
    }
    MembershipLog any = finals.get(0);
    boolean revoked = any.members().stream().anyMatch(Member::revoked);
    boolean concurrent = false;
    for (ClassTag c : CLASSES) {
      for (int e = 1; e <= any.currentEpoch(c).orElse(0); e++) {
        concurrent |= any.rotations(c, e).size() > 1;
      }
    }
    int kept = 0;
    for (Member m : any.members()) {
      for (ClassTag c : CLASSES) {
        for (int e = 1; m.revoked() && e <= any.currentEpoch(c).orElse(0); e++) {
          for (long seq : SEQS) {
            kept += any.mayWrite(m.device(), c, e, seq) ? 1 : 0;
          }
        }
      }
    }
    return new Run(revoked && concurrent, kept);
  }

  /** Each class with probability 1/2, at a seq from 0 to {@link #MAX_RANDOM_CUT}. */
  private static Map<ClassTag, Long> randomCut(Random rnd) {
    Map<ClassTag, Long> cut = new LinkedHashMap<>();
    for (ClassTag c : CLASSES) {
      if (rnd.nextBoolean()) {
        cut.put(c, (long) rnd.nextInt(MAX_RANDOM_CUT + 1));
      }
    }
    return cut;
  }

  /** Delivers each of {@code ops} with probability {@code p}, shuffled, a fifth of them twice. */
  private static void deliver(Random rnd, List<Operation> ops, MembershipLog to, double p, long seed) {
    List<byte[]> wire = new ArrayList<>();
    for (Operation op : ops) {
      if (rnd.nextDouble() < p) {
        wire.add(op.encode());
        if (rnd.nextInt(5) == 0) {
          wire.add(op.encode());
        }
      }
    }
    Collections.shuffle(wire, rnd);
    for (byte[] b : wire) {
      ReceiveResult r = to.receive(b);
      assertNotEquals(ReceiveResult.Status.REJECTED, r.status(), () -> "seed " + seed + ": " + r.detail());
    }
  }

  private static List<ClassTag> randomClasses(Random rnd) {
    List<ClassTag> out = new ArrayList<>();
    for (ClassTag c : CLASSES) {
      if (rnd.nextInt(3) == 0) {
        out.add(c);
      }
    }
    return out.isEmpty() ? List.of(CLASSES.get(rnd.nextInt(CLASSES.size()))) : out;
  }

  private static MembershipLog newLog(Operation genesis) {
    try {
      return Vault.log(genesis);
    } catch (MembershipException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Everything a node asks of the log, as text, including mayWrite for every device that was ever a
   * member (and one that never was), class, epoch and seq of {@link #SEQS}. Also checks that
   * mayWrite agrees with holders for devices not revoked and with the cut for revoked ones.
   */
  static String fingerprint(MembershipLog l) {
    StringBuilder s = new StringBuilder();
    s.append(l.members()).append('\n').append(l.heads()).append('\n');
    List<IdentityKey> devices = new ArrayList<>(l.members().stream().map(Member::device).toList());
    devices.add(OUTSIDER);
    for (IdentityKey d : devices) {
      s.append(d).append(" cut ").append(l.revocationCut(d)).append('\n');
    }
    for (ClassTag c : CLASSES) {
      int current = l.currentEpoch(c).orElse(0);
      s.append(c).append(" current ").append(current).append('\n');
      for (int e = 1; e <= current + 1; e++) {
        s.append("  ").append(e).append(' ').append(l.rotations(c, e)).append(' ').append(l.holders(c, e)).append('\n');
        s.append("  may write:");
        for (IdentityKey d : devices) {
          s.append(' ');
          for (long seq : SEQS) {
            boolean may = l.mayWrite(d, c, e, seq);
            s.append(may ? '1' : '0');
            Optional<Map<ClassTag, Long>> cut = l.revocationCut(d);
            if (cut.isEmpty()) {
              assertEquals(l.holders(c, e).contains(d), may, "a device not revoked may write exactly the epochs it holds");
            } else {
              assertTrue(!may || seq <= cut.get().getOrDefault(c, 0L), "a revoked device may write only up to its cut");
            }
          }
        }
        s.append('\n');
      }
    }
    for (Operation op : l.missingFor(List.of())) {
      s.append(op.id()).append(' ').append(l.epochsStartedBy(op.id())).append('\n');
    }
    return s.toString();
  }
}
