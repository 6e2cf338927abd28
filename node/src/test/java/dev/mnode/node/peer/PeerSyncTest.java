package dev.mnode.node.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.IdentityKey;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.node.Home;
import dev.mnode.node.LocalMemoryService;
import dev.mnode.node.MemoryDraft;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeModule;
import dev.mnode.node.NodeTestSupport;
import dev.mnode.node.sync.Replica;
import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.Host;
import dev.mnode.p2p.HostConfig;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pStream;
import dev.mnode.p2p.net.P2pModule;
import dev.mnode.store.Memory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two homes of one vault sync over real libp2p connections on 127.0.0.1: writes on either side
 * reach the other, a device granted only {@code work} never gets a {@code health} memory, the gate
 * refuses a non-member, and a member that sends garbage loses its connection while the node keeps
 * syncing with others.
 */
class PeerSyncTest {
  @TempDir Path tmp;
  private final Clock clock = Clock.systemUTC();
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private static MemoryDraft draft(String text, String c) {
    return new MemoryDraft(text, c, List.of(), null, null, false, Map.of(), List.of());
  }

  static PeerOptions loopback(List<Multiaddr> peers) throws Exception {
    return new PeerOptions(
        List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), peers, null, Duration.ofSeconds(2),
        Duration.ofMillis(20), Duration.ofSeconds(2));
  }

  /** A node: a home, its service and its peer sync. */
  record Node(LocalMemoryService svc, Replica replica, PeerSync sync, Ed25519Identity p2pId) {}

  private Node start(LocalMemoryService svc, List<Multiaddr> peers) throws Exception {
    return start(svc, loopback(peers));
  }

  private Node start(LocalMemoryService svc, PeerOptions options) throws Exception {
    closing.add(svc);
    Replica r = svc.replica();
    Ed25519Identity id;
    try (SecretBytes seed = svc.deviceSeed()) {
      id = Ed25519Identity.fromSeed(seed.copy());
    }
    PeerSync sync = PeerSync.start(r, id, options, clock, w -> {});
    svc.onWrite(sync::changed);
    closing.add(sync);
    return new Node(svc, r, sync, id);
  }

  /** Makes bob's home, a member of alice's vault with {@code classes}, as pairing would. */
  private LocalMemoryService join(Node alice, String name, List<String> classes) throws Exception {
    try (DeviceIdentity bobId = DeviceIdentity.generate()) {
      alice.replica().addDevice(bobId.publicKey(), name, classes);
      alice.sync().refreshMembers(); // as the pairing does
      alice.sync().changed();
      List<byte[]> ops = alice.replica().operationsFor(List.of());
      try (SecretBytes vaultSecret = alice.svc().vaultSecretForPairing()) {
        return (LocalMemoryService)
            NodeModule.join(
                new Home(tmp.resolve(name)), null, NodeTestSupport.FAST, clock, w -> {}, bobId.seed(),
                alice.replica().vault().toByteArray(), vaultSecret, ops);
      }
    }
  }

  static void await(String what, BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  private static boolean has(MemoryService svc, String id) {
    try {
      svc.get(id);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static String digest(MemoryService svc, String c) {
    try {
      return svc.status().digests().get(c);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void writesOnEitherSideReachTheOther_andClassesStayWithTheirHolders() throws Exception {
    Node alice = start((LocalMemoryService) NodeModule.init(new Home(tmp.resolve("alice")), null, NodeTestSupport.FAST, clock), List.of());
    Memory before = alice.svc().remember(draft("The release train leaves on Tuesdays", "work"));
    Memory health = alice.svc().remember(draft("Allergic to penicillin", "health"));
    LocalMemoryService bobSvc = join(alice, "bob", List.of("work"));
    Node bob = start(bobSvc, alice.sync().listenAddresses());

    await("bob holds alice's earlier work memory", () -> has(bob.svc(), before.id().toString()));
    Memory after = alice.svc().remember(draft("Code review needs two approvals", "work"));
    await("bob holds alice's new work memory", () -> has(bob.svc(), after.id().toString()));
    Memory fromBob = bob.svc().remember(draft("Bob's laptop runs the staging deploys", "work"));
    await("alice holds bob's memory", () -> has(alice.svc(), fromBob.id().toString()));
    alice.svc().update(fromBob.id().toString(), new dev.mnode.node.MemoryPatch("Bob's laptop ran the staging deploys until May", null, null, null, null, null, Map.of(), null));
    bob.svc().forget(before.id().toString());
    await("equal work digests", () -> digest(alice.svc(), "work").equals(digest(bob.svc(), "work")));
    assertFalse(has(alice.svc(), before.id().toString()), "bob's forget reached alice");
    assertEquals("Bob's laptop ran the staging deploys until May", bob.svc().get(fromBob.id().toString()).text());
    assertFalse(has(bob.svc(), health.id().toString()), "health is not bob's");
    assertTrue(bob.replica().heldClasses().equals(List.of("work")), bob.replica().heldClasses().toString());
    PeerStatus ps = alice.sync().status().get(0);
    assertEquals(bob.sync().peerId().toBase58(), ps.peerId());
    assertTrue(ps.online());
    // Bob dialed in; alice asked him with identify where he listens, to dial him back later.
    String bobListens = bob.sync().listenAddresses().get(0).withoutPeerId().toString();
    await("alice learns bob's address", () -> alice.sync().status().get(0).addresses().contains(bobListens));
    assertTrue(ps.sent() > 0 && ps.received() > 0, ps.toString());
  }

  @Test
  void theGateRefusesANonMember_andAMemberSendingGarbageLosesOnlyItsConnection() throws Exception {
    Node alice = start((LocalMemoryService) NodeModule.init(new Home(tmp.resolve("alice")), null, NodeTestSupport.FAST, clock), List.of());
    Multiaddr aliceAddr = alice.sync().listenAddresses().get(0);
    try (Ed25519Identity strangerId = Ed25519Identity.generate();
        Host stranger = P2pModule.newHost(strangerId, HostConfig.defaults())) {
      P2pException e = assertThrows(P2pException.class, () -> stranger.openStream(aliceAddr, SyncWire.PROTOCOL));
      assertTrue(e.getMessage() != null, "refused with a message");
    }
    // A member that breaks the protocol: a real member key, hand-made frames.
    LocalMemoryService malloryHome;
    try (DeviceIdentity m = DeviceIdentity.generate()) {
      alice.replica().addDevice(m.publicKey(), "mallory", List.of("work"));
      alice.sync().refreshMembers();
      try (Ed25519Identity mid = Ed25519Identity.fromSeed(m.seed().copy());
          Host mallory = P2pModule.newHost(mid, HostConfig.defaults())) {
        P2pStream s = mallory.openStream(aliceAddr, SyncWire.PROTOCOL);
        s.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f, 1}); // a 268 MB frame
        await("alice closes mallory's connection", () -> mallory.connections().stream().noneMatch(c -> c.isOpen()));
      }
    }
    // Alice still syncs with an honest member.
    Memory later = alice.svc().remember(draft("Quarterly planning is in March", "work"));
    Node bob = start(join(alice, "bob", List.of("work")), List.of(aliceAddr));
    await("bob syncs with alice after the garbage", () -> has(bob.svc(), later.id().toString()));
  }

  /**
   * Two nodes that know no address of each other find each other with mDNS (on the loopback
   * interface and a free port, so nothing leaves the machine or meets a real responder) and sync.
   */
  @Test
  void lanDiscovery_findsTheOtherMember_andSyncs() throws Exception {
    java.util.Optional<String> why = dev.mnode.p2p.mdns.LoopbackMulticast.unavailableBecause();
    org.junit.jupiter.api.Assumptions.assumeTrue(why.isEmpty(), () -> "multicast on loopback unavailable: " + why.orElse(""));
    String lo = dev.mnode.p2p.mdns.LoopbackMulticast.loopbackName().orElseThrow();
    int port = dev.mnode.p2p.mdns.LoopbackMulticast.freeUdpPort();
    dev.mnode.p2p.MdnsConfig mdns = dev.mnode.p2p.MdnsConfig.on(lo)
        .withGroup(dev.mnode.p2p.MdnsConfig.IPV4_GROUP, port)
        .withQueryInterval(Duration.ofMillis(300))
        .withAnnounceLoopback(true);
    PeerOptions options = new PeerOptions(
        List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), List.of(), mdns, Duration.ofSeconds(2), Duration.ofMillis(20), Duration.ofSeconds(2));
    Node alice = start((LocalMemoryService) NodeModule.init(new Home(tmp.resolve("alice")), null, NodeTestSupport.FAST, clock), options);
    Memory m = alice.svc().remember(draft("Found on the LAN", "work"));
    Node bob = start(join(alice, "bob", List.of("work")), options);
    await("bob finds alice on the LAN and syncs", () -> has(bob.svc(), m.id().toString()));
  }
}
